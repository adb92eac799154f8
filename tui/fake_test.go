package tui

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
)

// fakeClient is an in-memory daemon. Streams send a ping (so the dashboard
// sees the stream up) and then whatever the test pushes on fleet or bot.
type fakeClient struct {
	mu   sync.Mutex
	bots map[int64]api.Bot
	pool api.PoolStatus
	// forecast is what CapacityForecast answers.
	forecast api.CapacityForecast
	slots    []api.PoolSlot
	queue    []api.QueueEntry
	events   map[int64][]api.Event
	logs     map[int64][]api.LogEntry
	calls    []string
	// failAll makes every call fail, as an unreachable daemon does.
	failAll error

	fleet chan api.StreamEvent
	bot   chan api.StreamEvent
	// drop ends the running fleet stream with an error, as a daemon
	// restart does.
	drop chan error
	// first is the type of the message every stream opens with ("ping"
	// unless set; the daemon sends "hello" or the bot's state).
	first string
}

var _ Client = (*fakeClient)(nil)

func newFakeClient() *fakeClient {
	f := fixture()
	f.fleet = make(chan api.StreamEvent, 16)
	f.bot = make(chan api.StreamEvent, 16)
	f.drop = make(chan error, 1)
	return f
}

// setFailing makes every call fail with err, or succeed again with nil.
func (f *fakeClient) setFailing(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failAll = err
}

func (f *fakeClient) record(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	return f.failAll
}

// count reports how often a call was made.
func (f *fakeClient) count(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == call {
			n++
		}
	}
	return n
}

// callList is every call made so far.
func (f *fakeClient) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// called reports whether a call was made.
func (f *fakeClient) called(call string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.calls, call)
}

func (f *fakeClient) ListBots(_ context.Context, opts api.BotListOptions) (*api.List[api.Bot], error) {
	if err := f.record("list"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := &api.List[api.Bot]{}
	for _, b := range f.bots {
		out.Items = append(out.Items, b)
	}
	return out, nil
}

func (f *fakeClient) GetBot(_ context.Context, id int64) (*api.Bot, error) {
	if err := f.record("get " + itoa(id)); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.bots[id]
	if !ok {
		return nil, api.ErrNotFound
	}
	return &b, nil
}

func (f *fakeClient) BotEvents(_ context.Context, id int64, _ string, _ int) (*api.List[api.Event], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &api.List[api.Event]{Items: f.events[id]}, f.failAll
}

func (f *fakeClient) BotLogs(_ context.Context, id int64, _ string, _ int) (*api.List[api.LogEntry], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &api.List[api.LogEntry]{Items: f.logs[id]}, f.failAll
}

func (f *fakeClient) CapacityForecast(context.Context, *time.Time, *time.Time, time.Duration) (*api.CapacityForecast, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fc := f.forecast
	return &fc, nil
}

func (f *fakeClient) Pool(context.Context) (*api.PoolStatus, error) {
	if err := f.record("pool"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pool
	return &p, nil
}

func (f *fakeClient) PoolSlots(context.Context) ([]api.PoolSlot, error) {
	if err := f.record("slots"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.slots, nil
}

func (f *fakeClient) Queue(context.Context) ([]api.QueueEntry, error) {
	if err := f.record("queue"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queue, nil
}

func (f *fakeClient) setStatus(id int64, s api.BotStatus) (*api.Bot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.bots[id]
	b.Status = s
	b.UpdatedAt = b.UpdatedAt.Add(1)
	f.bots[id] = b
	return &b, nil
}

func (f *fakeClient) LeaveBot(_ context.Context, id int64) (*api.Bot, error) {
	if err := f.record("leave " + itoa(id)); err != nil {
		return nil, err
	}
	return f.setStatus(id, api.StatusLeaving)
}

func (f *fakeClient) CancelBot(_ context.Context, id int64) (*api.Bot, error) {
	if err := f.record("cancel " + itoa(id)); err != nil {
		return nil, err
	}
	return f.setStatus(id, api.StatusDone)
}

func (f *fakeClient) SendChat(_ context.Context, id int64, text string) (*api.ChatMessage, error) {
	if err := f.record("chat " + itoa(id) + " " + text); err != nil {
		return nil, err
	}
	return &api.ChatMessage{BotID: id, Text: text, Status: "PENDING"}, nil
}

func (f *fakeClient) Stream(ctx context.Context, opts api.StreamOptions, fn func(api.StreamEvent) error) error {
	if err := f.record("stream " + itoa(opts.BotID)); err != nil {
		return err
	}
	ch, drop := f.fleet, f.drop
	if opts.BotID != 0 {
		ch, drop = f.bot, nil
	}
	if err := fn(api.StreamEvent{Type: cmp.Or(f.first, "ping")}); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-drop:
			return err
		case ev := <-ch:
			if err := fn(ev); err != nil {
				return err
			}
		}
	}
}
