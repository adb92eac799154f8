// Package agent is the bot-facing service: what a running bot asks of the
// control plane (its config, heartbeats, status reports, events, log
// lines, queued chat messages, screenshots). Both bot protocols, the
// native /v1/agent API and the original images' tRPC, are thin encodings
// over it, so a bot behaves the same whichever it speaks.
package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/daemon/batch"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/store"
)

// ErrBadToken is a bot token that names no bot. A store failure while
// checking one is store.ErrUnavailable instead: a database outage must
// never read as a bad token (the bot would give up) or as an ended bot.
var ErrBadToken = errors.New("the bot token is unknown")

// afterEndGrace is how long an ended bot may still send logs and events:
// bots flush their last lines after reporting DONE.
const afterEndGrace = 5 * time.Minute

// Config holds the agent's settings.
type Config struct {
	Instance string     // this daemon's id, for the ids of captured log lines
	Blobs    blob.Store // where screenshots are kept
	// States, when set, answers heartbeats' reads of bot state by token
	// from memory (package beatcache); nil reads the store every time.
	States StateCache
}

// StateCache is a source of bot states by token hash that is kept true
// by the writes it is told of.
type StateCache interface {
	Get(ctx context.Context, hash string) (store.BotState, error)
}

// Service answers bots.
type Service struct {
	cfg      Config
	log      *slog.Logger
	store    store.Store
	now      func() time.Time
	life     *lifecycle.Service
	changed  func() // the stream feed has new changes
	beats    *batch.Batcher[beat]
	captured *batch.Batcher[store.LogEntry]
	lineSeq  atomic.Int64
}

// maxPendingBeats bounds the beats held between writes, for memory only
// (32 bytes each): a write keeps each bot's latest beat, so its statement
// has a row per bot however many beats came. Written every 1,000 beats,
// a fleet beating 30,000 times a second made thirty statements a second,
// each updating the same bots, and PostgreSQL's share of the two cores
// cost the agent heartbeat a third of its rate.
const maxPendingBeats = 64000

type beat struct {
	botID int64
	at    time.Time
}

// New returns the service; the daemon runs its Batchers. changed is called
// after writes the live streams show.
func New(cfg Config, log *slog.Logger, st store.Store, now func() time.Time, life *lifecycle.Service, changed func()) *Service {
	s := &Service{cfg: cfg, log: log, store: st, now: now, life: life, changed: changed}
	s.beats = batch.New("heartbeats", maxPendingBeats, 500*time.Millisecond, log, s.writeBeats)
	s.captured = batch.New("captured_logs", 500, 500*time.Millisecond, log, s.writeCaptured).
		RowByRow(func(ctx context.Context, e store.LogEntry) error { return s.writeCaptured(ctx, []store.LogEntry{e}) })
	return s
}

// Batchers are the service's background writers, for the daemon to run.
func (s *Service) Batchers() []interface{ Run(context.Context) } {
	return []interface{ Run(context.Context) }{s.beats, s.captured}
}

// Authenticate finds the bot a token was issued to. A token is valid for
// its own bot only; there is no way to name another bot with it.
func (s *Service) Authenticate(ctx context.Context, token string) (store.BotState, error) {
	if !strings.HasPrefix(token, domain.BotTokenPrefix) {
		return store.BotState{}, ErrBadToken
	}
	b, err := s.store.BotStateByToken(ctx, domain.HashSecret(token))
	return b, authError(err, ErrBadToken)
}

// AuthenticateBeat is Authenticate for a heartbeat: the state comes from
// the cache of bot states when there is one, so the bots' most frequent
// call reads nothing. Calls that act on the state (status reports, logs)
// use Authenticate, which reads the database.
func (s *Service) AuthenticateBeat(ctx context.Context, token string) (store.BotState, error) {
	if s.cfg.States == nil {
		return s.Authenticate(ctx, token)
	}
	if !strings.HasPrefix(token, domain.BotTokenPrefix) {
		return store.BotState{}, ErrBadToken
	}
	b, err := s.cfg.States.Get(ctx, domain.HashSecret(token))
	return b, authError(err, ErrBadToken)
}

// Bot reads the state of the bot with this id, for callers holding a
// credential that may act for any bot (the original's shared token).
func (s *Service) Bot(ctx context.Context, id int64) (store.BotState, error) {
	b, err := s.store.BotState(ctx, id)
	return b, authError(err, domain.NotFound(fmt.Sprintf("bot %d", id)))
}

// authError keeps "no such bot" and "cannot tell" apart.
func authError(err, notFound error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return notFound
	case errors.Is(err, store.ErrUnavailable):
		return err
	}
	return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
}

// ended answers a bot that has ended for good: it should exit.
func ended(b store.BotState) error { return &domain.EndedError{BotID: b.ID, Status: b.Status} }

// liveEnough refuses writes from a bot that ended more than the grace ago.
func (s *Service) liveEnough(b store.BotState) error {
	if b.EndedAt != nil && s.now().Sub(*b.EndedAt) > afterEndGrace {
		return ended(b)
	}
	return nil
}

// BotConfig is what a bot needs to join: the bot, and the window of this
// run. Start is when this run was deployed (never the creation time), so a
// bot's duration guard counts from its own start.
type BotConfig struct {
	Bot        store.Bot
	Start, End time.Time
}

// Config answers a bot's config; a bot that has ended or is leaving gets
// an EndedError, so a restarted container exits instead of joining.
func (s *Service) Config(ctx context.Context, st store.BotState) (BotConfig, error) {
	if st.Status.Terminal() || st.Status == api.StatusLeaving {
		return BotConfig{}, ended(st)
	}
	b, err := s.store.GetBot(ctx, st.ID)
	if err != nil {
		return BotConfig{}, domain.NotFoundIf(err, "bot")
	}
	start := s.now()
	if b.DeployStartedAt != nil {
		start = *b.DeployStartedAt
	}
	return BotConfig{Bot: b, Start: start, End: start.Add(b.MaxDuration)}, nil
}

// Heartbeat is the answer to a beat.
type Heartbeat struct {
	ShouldLeave bool
	LogLevel    string
	Status      api.BotStatus
}

// Heartbeat records the beat (batched) and tells the bot whether to leave:
// when a leave was requested, and when the bot has ended, so a cancelled
// bot's container stops instead of joining anyway. It reads nothing: the
// state is the one the caller authenticated with.
func (s *Service) Heartbeat(b store.BotState) Heartbeat {
	if !b.Status.Terminal() {
		s.beats.Add(beat{botID: b.ID, at: s.now()})
	}
	return Heartbeat{ShouldLeave: b.Status == api.StatusLeaving || b.Status.Terminal(), LogLevel: b.LogLevel, Status: b.Status}
}

func (s *Service) writeBeats(ctx context.Context, items []beat) error {
	latest := make(map[int64]time.Time, len(items))
	for _, it := range items {
		if it.at.After(latest[it.botID]) {
			latest[it.botID] = it.at
		}
	}
	return s.store.RecordHeartbeats(ctx, latest)
}
