package daemontest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// Instant is a platform whose resources start at once and run nothing. It
// isolates the control plane in benchmarks: every figure measured with it
// is the daemon's own overhead, with no bot or container start in it.
type Instant struct {
	name  string
	limit int
	// ListLag makes List leave out resources deployed less than this long
	// ago, as a platform whose listing lags behind its writes does.
	ListLag time.Duration

	mu       sync.Mutex
	seq      int
	running  map[string]int64
	tokens   map[int64]string
	deployed map[int64]time.Time
}

var _ platforms.Platform = (*Instant)(nil)

// NewInstant returns an Instant platform called name holding limit bots.
func NewInstant(name string, limit int) *Instant {
	return &Instant{name: name, limit: limit, running: map[string]int64{}, tokens: map[int64]string{}, deployed: map[int64]time.Time{}}
}

// Name implements platforms.Platform.
func (p *Instant) Name() string { return p.name }

// Capacity implements platforms.Platform.
func (p *Instant) Capacity() int { return p.limit }

// Deploy records the bot, its token and when it was deployed.
func (p *Instant) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	id := fmt.Sprintf("%s-%d", p.name, p.seq)
	p.running[id] = spec.BotID
	p.tokens[spec.BotID] = spec.Env["MILO_AUTH_TOKEN"]
	p.deployed[spec.BotID] = time.Now()
	return id, nil
}

// Stop implements platforms.Platform.
func (p *Instant) Stop(ctx context.Context, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, id)
	return nil
}

// Status implements platforms.Platform.
func (p *Instant) Status(ctx context.Context, id string) (platforms.Resource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if bot, ok := p.running[id]; ok {
		return platforms.Resource{ID: id, BotID: bot, State: platforms.StateRunning}, nil
	}
	return platforms.Resource{}, platforms.ErrNotFound
}

// List implements platforms.Platform.
func (p *Instant) List(ctx context.Context) ([]platforms.Resource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]platforms.Resource, 0, len(p.running))
	for id, bot := range p.running {
		if time.Since(p.deployed[bot]) < p.ListLag {
			continue
		}
		out = append(out, platforms.Resource{ID: id, BotID: bot, State: platforms.StateRunning})
	}
	return out, nil
}

// Token is the agent token the daemon gave a deployed bot.
func (p *Instant) Token(botID int64) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokens[botID]
}

// DeployedAt is when a bot was deployed, or the zero time.
func (p *Instant) DeployedAt(botID int64) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.deployed[botID]
}
