package account

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/store"
)

func intPtr(n int) *int { return &n }

// Limits resolves what a user may run now: the store resolves it (their
// own plan, else their subscription's, else FREE; admins with no plan
// unlimited; their overrides last), exactly as admission enforces it.
// Every create needs them, so this daemon keeps them for KeyCacheTTL, as
// it keeps the keys: a burst of one owner's creates reads them once. A
// change through this daemon is seen at once, through another within the
// TTL; the concurrency cap that admission enforces is read in its own
// transaction, never from here.
func (s *Service) Limits(ctx context.Context, u store.User) (store.Limits, error) {
	if l, ok := s.limits.lookup(u.ID); ok {
		return l, nil
	}
	gen := s.limits.generation()
	l, err := s.store.UserLimits(ctx, u.ID, s.now())
	if err == nil {
		s.limits.put(u.ID, l, gen)
	}
	return l, err
}

// Plan resolves a user's plan name and daily limit (nil: unlimited).
func (s *Service) Plan(ctx context.Context, u store.User) (string, *int, error) {
	l, err := s.Limits(ctx, u)
	return l.Plan, l.DailyBots, err
}

// DailyLimit is the user's daily bot limit; nil means unlimited.
func (s *Service) DailyLimit(ctx context.Context, u store.User) (*int, error) {
	_, limit, err := s.Plan(ctx, u)
	return limit, err
}

// PlanView is a user's plan with today's use and what runs now.
type PlanView struct {
	Plan       string
	DailyLimit *int
	UsedToday  int
	Remaining  *int
	ResetsAt   time.Time
	// ConcurrentLimit caps the bots holding capacity at once (nil: none);
	// Running is how many do now.
	ConcurrentLimit *int
	Running         int
	MaxBotDuration  time.Duration
	DedupWindow     time.Duration
}

// PlanToday answers the plan with today's use. The quota counts bots by
// their creation time on the server's UTC day, never by a time the client
// sends.
func (s *Service) PlanToday(ctx context.Context, u store.User) (PlanView, error) {
	l, err := s.Limits(ctx, u)
	if err != nil {
		return PlanView{}, err
	}
	y, m, d := s.now().UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	used, err := s.store.CountBotsCreated(ctx, u.ID, day, day.Add(24*time.Hour))
	if err != nil {
		return PlanView{}, err
	}
	running, err := s.store.RunningBots(ctx, u.ID)
	if err != nil {
		return PlanView{}, err
	}
	p := PlanView{Plan: l.Plan, DailyLimit: l.DailyBots, UsedToday: used, ResetsAt: day.Add(24 * time.Hour),
		ConcurrentLimit: l.ConcurrentBots, Running: running, MaxBotDuration: l.MaxBotDuration, DedupWindow: l.DedupWindow}
	if l.DailyBots != nil {
		p.Remaining = intPtr(max(0, *l.DailyBots-used))
	}
	return p, nil
}
