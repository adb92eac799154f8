package daemontest

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/sandbox"
)

// InProc is a platform that runs each bot as the built-in sandbox bot in a
// goroutine of the test process instead of a child process. The bot is the
// real sandbox bot speaking the real agent API over loopback HTTP; only the
// process boundary is missing, which lets tests run hundreds of bots on two
// cores. Its default timings are short so a bot lives about a second.
type InProc struct {
	name  string
	limit int
	// Tune adjusts each bot's configuration before it starts.
	Tune func(*sandbox.Config)

	mu      sync.Mutex
	seq     int
	running map[string]*inprocBot
	ended   map[string]platforms.Resource
	watch   map[int]func(platforms.Resource)
	watchID int
	deploys map[int64]int // deploys per bot, for double-deploy checks
}

type inprocBot struct {
	botID  int64
	cancel context.CancelFunc
	done   chan struct{}
}

var (
	_ platforms.Platform  = (*InProc)(nil)
	_ platforms.Watcher   = (*InProc)(nil)
	_ platforms.HostBound = (*InProc)(nil)
)

// HostBound implements platforms.HostBound: like local processes, an
// InProc's bots are seen only by the daemon of the test that runs them.
func (p *InProc) HostBound() bool { return true }

// NewInProc returns a platform called name that holds at most limit bots.
func NewInProc(name string, limit int) *InProc {
	return &InProc{name: name, limit: limit, running: map[string]*inprocBot{}, ended: map[string]platforms.Resource{}, watch: map[int]func(platforms.Resource){}, deploys: map[int64]int{}}
}

// Name implements platforms.Platform.
func (p *InProc) Name() string { return p.name }

// Capacity implements platforms.Platform.
func (p *InProc) Capacity() int { return p.limit }

// Deploy starts the sandbox bot with the environment the daemon gave it.
func (p *InProc) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	cfg := sandbox.Config{
		BotID: spec.BotID, BaseURL: spec.Env["MILO_URL"], Token: spec.Env["MILO_AUTH_TOKEN"],
		StepDelay: 20 * time.Millisecond, HeartbeatInterval: 200 * time.Millisecond, ChatInterval: 100 * time.Millisecond,
		LogFlushInterval: 100 * time.Millisecond, RetryBase: 50 * time.Millisecond, RetryMax: time.Second, Stdout: io.Discard,
		S3: sandbox.S3FromEnv(envList(spec.Env)),
	}
	if p.Tune != nil {
		p.Tune(&cfg)
	}
	p.mu.Lock()
	p.seq++
	id := fmt.Sprintf("%s-%d-%d", p.name, spec.BotID, p.seq)
	bctx, cancel := context.WithCancel(context.Background())
	b := &inprocBot{botID: spec.BotID, cancel: cancel, done: make(chan struct{})}
	p.running[id] = b
	p.deploys[spec.BotID]++
	p.mu.Unlock()
	go p.run(bctx, id, b, cfg)
	return id, nil
}

func (p *InProc) run(ctx context.Context, id string, b *inprocBot, cfg sandbox.Config) {
	err := sandbox.Run(ctx, cfg)
	res := platforms.Resource{ID: id, BotID: b.botID, State: platforms.StateSucceeded}
	if err != nil && ctx.Err() == nil {
		res.State, res.Reason, res.Detail = platforms.StateFailed, "exited", err.Error()
	}
	p.mu.Lock()
	delete(p.running, id)
	p.ended[id] = res
	watchers := make([]func(platforms.Resource), 0, len(p.watch))
	for _, fn := range p.watch {
		watchers = append(watchers, fn)
	}
	p.mu.Unlock()
	close(b.done)
	for _, fn := range watchers {
		fn(res)
	}
}

// Stop cancels the bot and waits for it to return.
func (p *InProc) Stop(ctx context.Context, id string) error {
	p.mu.Lock()
	b, ok := p.running[id]
	p.mu.Unlock()
	if !ok {
		return nil
	}
	b.cancel()
	select {
	case <-b.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// Status implements platforms.Platform.
func (p *InProc) Status(ctx context.Context, id string) (platforms.Resource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.running[id]; ok {
		return platforms.Resource{ID: id, BotID: b.botID, State: platforms.StateRunning}, nil
	}
	if res, ok := p.ended[id]; ok {
		return res, nil
	}
	return platforms.Resource{}, platforms.ErrNotFound
}

// List implements platforms.Platform: the running bots.
func (p *InProc) List(ctx context.Context) ([]platforms.Resource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]platforms.Resource, 0, len(p.running))
	for id, b := range p.running {
		out = append(out, platforms.Resource{ID: id, BotID: b.botID, State: platforms.StateRunning})
	}
	return out, nil
}

// Watch implements platforms.Watcher.
func (p *InProc) Watch(ctx context.Context, fn func(platforms.Resource)) error {
	p.mu.Lock()
	p.watchID++
	id := p.watchID
	p.watch[id] = fn
	p.mu.Unlock()
	<-ctx.Done()
	p.mu.Lock()
	delete(p.watch, id)
	p.mu.Unlock()
	return ctx.Err()
}

// Running counts the bots running now.
func (p *InProc) Running() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.running)
}

// Deploys returns how many times each bot was deployed.
func (p *InProc) Deploys() map[int64]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[int64]int, len(p.deploys))
	for k, v := range p.deploys {
		out[k] = v
	}
	return out
}

// Close stops every bot.
func (p *InProc) Close() error {
	p.mu.Lock()
	ids := make([]string, 0, len(p.running))
	for id := range p.running {
		ids = append(ids, id)
	}
	p.mu.Unlock()
	for _, id := range ids {
		_ = p.Stop(context.Background(), id)
	}
	return nil
}

// envList turns an environment map into KEY=value pairs.
func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}
