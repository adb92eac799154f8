package platformtest_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// memory is the smallest platform that honours the contract. Running the
// suite against it keeps the suite itself honest: a check that fails here
// is a bug in the check, not in an adapter.
type memory struct {
	mu       sync.Mutex
	next     int
	res      map[string]platforms.Resource
	watchers []func(platforms.Resource)
}

var _ platforms.Platform = (*memory)(nil)
var _ platforms.Watcher = (*memory)(nil)

func (m *memory) Name() string  { return "memory" }
func (m *memory) Capacity() int { return 3 }

func (m *memory) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("deploy: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	id := fmt.Sprintf("mem-%d", m.next)
	m.res[id] = platforms.Resource{ID: id, BotID: spec.BotID, State: platforms.StatePending}
	return id, nil
}

func (m *memory) Stop(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.res, id)
	return nil
}

func (m *memory) Status(_ context.Context, id string) (platforms.Resource, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.res[id]
	if !ok {
		return r, platforms.ErrNotFound
	}
	return r, nil
}

func (m *memory) List(context.Context) ([]platforms.Resource, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []platforms.Resource
	for _, r := range m.res {
		out = append(out, r)
	}
	return out, nil
}

func (m *memory) Watch(ctx context.Context, fn func(platforms.Resource)) error {
	m.mu.Lock()
	m.watchers = append(m.watchers, fn)
	for _, r := range m.res {
		fn(r)
	}
	m.mu.Unlock()
	<-ctx.Done()
	return nil
}

func (m *memory) set(id string, state platforms.ResourceState, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.res[id]
	if !ok {
		return platforms.ErrNotFound
	}
	r.State, r.Reason = state, reason
	m.res[id] = r
	for _, fn := range m.watchers {
		fn(r)
	}
	return nil
}

func TestRun_Memory(t *testing.T) {
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		m := &memory{res: map[string]platforms.Resource{}}
		return platformtest.Harness{
			Platform:    m,
			Capacity:    3,
			UnknownID:   "mem-0",
			FailReasons: []string{"exited", "oom_killed"},
			MakeRunning: func(id string) error { return m.set(id, platforms.StateRunning, "") },
			MakeFailed: func(id, reason string) error {
				return m.set(id, platforms.StateFailed, strings.TrimSpace(reason))
			},
			MakeSucceeded: func(id string) error { return m.set(id, platforms.StateSucceeded, "") },
		}
	})
}

func TestRun_NoHooks(t *testing.T) {
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		return platformtest.Harness{Platform: &memory{res: map[string]platforms.Resource{}}, Capacity: 3}
	})
}
