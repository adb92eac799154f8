package account

import (
	"context"
	"errors"
	"time"

	"github.com/meeboter/meeboter/store"
)

// freeDailyLimit is the free plan's daily bot limit, as in the original.
const freeDailyLimit = 5

var planLimits = map[string]*int{store.PlanPro: intPtr(200), store.PlanPayAsYouGo: nil, store.PlanCustom: nil}

func intPtr(n int) *int { return &n }

// Plan resolves a user's plan and daily limit (nil: unlimited): a per-user
// override wins, then the active subscription, then the free plan (an
// expired subscription falls back to free instead of locking the user
// out). Admins are unlimited, so the operator of a local daemon is never
// throttled.
func (s *Service) Plan(ctx context.Context, u store.User) (string, *int, error) {
	sub, err := s.store.ActiveSubscription(ctx, u.ID, s.now())
	name, limit := store.PlanFree, intPtr(freeDailyLimit)
	switch {
	case err == nil:
		name, limit = sub.Plan, sub.DailyLimit
		if l, ok := planLimits[sub.Plan]; ok && sub.DailyLimit == nil {
			limit = l
		}
	case !errors.Is(err, store.ErrNotFound):
		return "", nil, err
	}
	if u.Role == store.RoleAdmin {
		limit = nil
	}
	if u.CustomDailyBotLimit != nil {
		limit = u.CustomDailyBotLimit
	}
	return name, limit, nil
}

// DailyLimit is the user's daily bot limit; nil means unlimited.
func (s *Service) DailyLimit(ctx context.Context, u store.User) (*int, error) {
	_, limit, err := s.Plan(ctx, u)
	return limit, err
}

// PlanView is a user's plan with today's use.
type PlanView struct {
	Plan       string
	DailyLimit *int
	UsedToday  int
	Remaining  *int
	ResetsAt   time.Time
}

// PlanToday answers the plan with today's use. The quota counts bots by
// their creation time on the server's UTC day, never by a time the client
// sends.
func (s *Service) PlanToday(ctx context.Context, u store.User) (PlanView, error) {
	name, limit, err := s.Plan(ctx, u)
	if err != nil {
		return PlanView{}, err
	}
	y, m, d := s.now().UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	used, err := s.store.CountBotsCreated(ctx, u.ID, day, day.Add(24*time.Hour))
	if err != nil {
		return PlanView{}, err
	}
	p := PlanView{Plan: name, DailyLimit: limit, UsedToday: used, ResetsAt: day.Add(24 * time.Hour)}
	if limit != nil {
		p.Remaining = intPtr(max(0, *limit-used))
	}
	return p, nil
}
