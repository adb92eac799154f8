package archive

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// Defaults of Config.
const (
	DefaultChunkLines       = 5000
	DefaultEvery            = 5 * time.Minute
	DefaultQuiet            = time.Minute
	DefaultLogRetention     = 30 * 24 * time.Hour
	DefaultScreenshotURLTTL = 15 * time.Minute
	DefaultRecordingURLTTL  = time.Hour
)

// Internal bounds.
const (
	defaultInterval = 5 * time.Second
	retentionEvery  = time.Minute
	cacheEntries    = 20_000   // decoded archive entries kept for paging
	maxChunkJSON    = 32 << 20 // half the format's limit: room for JSON escaping
	entryOverhead   = 160      // a line's JSON beyond its message, fields and entry id
	maxBotsPerPass  = 100
)

// Config holds the archive's settings; zero values take the defaults.
type Config struct {
	ChunkLines int           // lines per chunk, and a running bot's lines that make it due
	Every      time.Duration // a running bot with a line older than this is due
	Quiet      time.Duration // a running bot's lines younger than this stay in the database
	Interval   time.Duration // one archive pass per interval, on the leader
	// LogRetention and ScreenshotRetention are how long after its end a
	// bot's log and screenshots are kept. ScreenshotRetention defaults to
	// LogRetention.
	LogRetention        time.Duration
	ScreenshotRetention time.Duration
	ScreenshotURLTTL    time.Duration // lifetime of a screenshot's signed URL
	RecordingURLTTL     time.Duration // lifetime of a recording's signed URL
}

func (c Config) withDefaults() Config {
	c.ChunkLines = min(cmp.Or(c.ChunkLines, DefaultChunkLines), logarchive.MaxChunkEntries)
	c.Every = cmp.Or(c.Every, DefaultEvery)
	c.Quiet = cmp.Or(c.Quiet, DefaultQuiet)
	c.Interval = cmp.Or(c.Interval, defaultInterval)
	c.LogRetention = cmp.Or(c.LogRetention, DefaultLogRetention)
	c.ScreenshotRetention = cmp.Or(c.ScreenshotRetention, c.LogRetention)
	c.ScreenshotURLTTL = cmp.Or(c.ScreenshotURLTTL, DefaultScreenshotURLTTL)
	c.RecordingURLTTL = cmp.Or(c.RecordingURLTTL, DefaultRecordingURLTTL)
	return c
}

// Deps are the archive's collaborators.
type Deps struct {
	Log   *slog.Logger
	Store store.Store
	Blobs blob.Store
	Now   func() time.Time
	// Leading reports whether this daemon is the leader; only the leader
	// archives and applies retention. Nil: always.
	Leading func() bool
	// AfterUpload, when set, runs after each chunk is written and before
	// its rows are deleted; an error stops the pass there. Tests use it
	// to stop a daemon between the two steps.
	AfterUpload func(logarchive.ChunkRef) error
}

// Service is the archive of one daemon.
type Service struct {
	cfg    Config
	d      Deps
	reader *logarchive.Reader
	// lastRetention is read and written by Run's goroutine only.
	lastRetention time.Time
}

// New returns the archive over d's store and blob store.
func New(cfg Config, d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = func() time.Time { return time.Now().UTC() }
	}
	if d.Leading == nil {
		d.Leading = func() bool { return true }
	}
	return &Service{cfg: cfg.withDefaults(), d: d, reader: logarchive.NewReader(d.Blobs, cacheEntries)}
}

// Blobs is the blob store the archive writes to.
func (s *Service) Blobs() blob.Store { return s.d.Blobs }

// Config is the configuration in force, defaults filled.
func (s *Service) Config() Config { return s.cfg }

// Run archives and applies retention every interval while this daemon
// leads, until ctx ends. A pass cut short is redone by the next.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		if s.d.Leading() {
			s.pass(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Service) pass(ctx context.Context) {
	if _, err := s.ArchivePass(ctx); err != nil && ctx.Err() == nil {
		s.d.Log.Warn("archive logs", "err", err)
	}
	if now := s.d.Now(); now.Sub(s.lastRetention) >= retentionEvery {
		s.lastRetention = now
		if err := s.RetentionPass(ctx); err != nil && ctx.Err() == nil {
			s.d.Log.Warn("retention", "err", err)
		}
	}
}
