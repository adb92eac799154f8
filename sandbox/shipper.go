package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/meeboter/meeboter/api"
)

const (
	// maxBatch is the most entries the agent API takes per call.
	maxBatch = 500
	// maxBuffered bounds what piles up while the daemon is away; the
	// oldest entries go first, as with the real bots.
	maxBuffered = 5000
)

// shipper buffers log entries and sends them in batches. Each entry gets
// an id when buffered and keeps it across retries, so a batch the daemon
// stored but could not acknowledge is not stored twice.
type shipper struct {
	tr      Transport
	console *slog.Logger // for the shipper's own trouble: shipping it would loop
	run     string       // random per process, so ids never repeat across runs
	seq     atomic.Uint64

	mu      sync.Mutex
	buf     []api.AgentLogEntry
	dropped int
	closed  bool // the daemon refused the bot: nothing more to send

	sending sync.Mutex // one batch in flight, which keeps the order
}

func newShipper(tr Transport, console *slog.Logger) *shipper {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &shipper{tr: tr, console: console, run: hex.EncodeToString(b)}
}

func (s *shipper) add(e api.AgentLogEntry) {
	e.ID = fmt.Sprintf("%s-%d", s.run, s.seq.Add(1))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.buf = append(s.buf, e)
	if over := len(s.buf) - maxBuffered; over > 0 {
		s.buf = s.buf[over:]
		s.dropped += over
	}
}

// flush sends one batch. On failure the batch goes back to the front of
// the buffer, ids unchanged, for the next flush.
func (s *shipper) flush(ctx context.Context) error {
	s.sending.Lock()
	defer s.sending.Unlock()
	s.mu.Lock()
	n := min(len(s.buf), maxBatch)
	batch := append([]api.AgentLogEntry(nil), s.buf[:n]...)
	s.buf = s.buf[n:]
	s.mu.Unlock()
	if n == 0 {
		return nil
	}
	err := s.tr.Logs(ctx, batch)
	if err == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if quiet(err) {
		s.closed, s.buf = true, nil
		return err
	}
	s.buf = append(batch, s.buf...)
	return err
}

func (s *shipper) pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.buf)
}
