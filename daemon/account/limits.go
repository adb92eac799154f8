package account

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Bounds of the limits an admin sets: 32-bit columns on PostgreSQL, far
// above any real use.
const (
	MaxConcurrentBots  = 100_000
	MaxDedupWindowSecs = 7 * 24 * 3600
	MinPlanDuration    = 60
	MaxPlanDuration    = 86400
)

// validPlanName reports what a plan may be called (the migration's CHECK says the
// same, so both engines refuse the same names).
func validPlanName(s string) bool { return len(s) <= 64 && planChars.MatchString(s) }

// The length is checked apart from the pattern: a counted repetition
// ({1,64}) compiles to one copy of its class per count, tens of KB built
// at every start.
var planChars = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// NewPlan is a plan to create; nil limits are none.
type NewPlan struct {
	Name                  string
	DailyBots             *int
	ConcurrentBots        *int
	MaxBotDurationSeconds int
}

// ListPlans lists every plan (admins only).
func (s *Service) ListPlans(ctx context.Context, c domain.Caller) ([]store.Plan, error) {
	if err := c.RequireAdmin(); err != nil {
		return nil, err
	}
	return s.store.ListPlans(ctx)
}

// CreatePlan validates and stores a plan (admins only).
func (s *Service) CreatePlan(ctx context.Context, c domain.Caller, p NewPlan) (store.Plan, error) {
	if err := c.RequireAdmin(); err != nil {
		return store.Plan{}, err
	}
	v := &domain.Validator{}
	v.Check(validPlanName(p.Name), "name", "must be 1 to 64 letters, digits, '-' or '_'")
	checkLimit(v, p.DailyBots, MaxDailyLimit, "dailyBots")
	checkLimit(v, p.ConcurrentBots, MaxConcurrentBots, "concurrentBots")
	d := p.MaxBotDurationSeconds
	v.Check(d == 0 || (d >= MinPlanDuration && d <= MaxPlanDuration), "maxBotDurationSeconds", "must be from %d to %d (0: the daemon's default)", MinPlanDuration, MaxPlanDuration)
	if err := v.Err(); err != nil {
		return store.Plan{}, err
	}
	out, err := s.store.CreatePlan(ctx, store.Plan{Name: p.Name, DailyBots: p.DailyBots, ConcurrentBots: p.ConcurrentBots,
		MaxBotDuration: time.Duration(d) * time.Second})
	if errors.Is(err, store.ErrConflict) {
		return store.Plan{}, domain.Conflict("a plan named %q exists", p.Name)
	}
	if err == nil { // a subscription may name the new plan
		s.limits.forget(func(int64, store.Limits) bool { return true })
	}
	return out, err
}

func checkLimit(v *domain.Validator, n *int, most int, field string) {
	v.Check(n == nil || (*n >= 0 && *n <= most), field, "must be from 0 to %d", most)
}

// GetUser reads one user (admins only).
func (s *Service) GetUser(ctx context.Context, c domain.Caller, id int64) (store.User, error) {
	if err := c.RequireAdmin(); err != nil {
		return store.User{}, err
	}
	u, err := s.store.GetUser(ctx, id)
	return u, domain.NotFoundIf(err, "user")
}

// UserPatch changes a user's plan and own limits; Clear names the fields
// to reset (to the plan's limit, or for plan to the subscription's plan).
type UserPatch struct {
	Plan                *string
	CustomDailyBotLimit *int
	MaxConcurrentBots   *int
	DedupWindowSeconds  *int
	Clear               []string
}

// Fields a UserPatch may clear.
var clearable = []string{"plan", "customDailyBotLimit", "maxConcurrentBots", "dedupWindowSeconds"}

// UpdateUser changes a user's plan and limits (admins only) in one
// transaction, and answers the user as stored.
func (s *Service) UpdateUser(ctx context.Context, c domain.Caller, id int64, p UserPatch) (store.User, error) {
	if err := c.RequireAdmin(); err != nil {
		return store.User{}, err
	}
	if err := validatePatch(p); err != nil {
		return store.User{}, err
	}
	lp := store.UserLimitsPatch{DailyBots: limitValue(p.CustomDailyBotLimit, p.Clear, "customDailyBotLimit"),
		ConcurrentBots:     limitValue(p.MaxConcurrentBots, p.Clear, "maxConcurrentBots"),
		DedupWindowSeconds: limitValue(p.DedupWindowSeconds, p.Clear, "dedupWindowSeconds")}
	err := s.store.InTx(ctx, func(tx store.Store) error {
		if p.Plan != nil || slices.Contains(p.Clear, "plan") {
			if err := tx.SetUserPlan(ctx, id, p.Plan); err != nil {
				return err
			}
		}
		return tx.SetUserLimits(ctx, id, lp)
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.User{}, domain.NotFound("user")
	case errors.Is(err, store.ErrConflict) && p.Plan != nil:
		return store.User{}, domain.Invalid("plan", "no plan is named %q; see GET /v1/plans", *p.Plan)
	case err != nil:
		return store.User{}, err
	}
	s.ForgetUser(id) // the callers this daemon keeps carry the user
	return s.store.GetUser(ctx, id)
}

func validatePatch(p UserPatch) error {
	v := &domain.Validator{}
	v.Check(p.Plan == nil || validPlanName(*p.Plan), "plan", "must be a plan's name")
	checkLimit(v, p.CustomDailyBotLimit, MaxDailyLimit, "customDailyBotLimit")
	checkLimit(v, p.MaxConcurrentBots, MaxConcurrentBots, "maxConcurrentBots")
	checkLimit(v, p.DedupWindowSeconds, MaxDedupWindowSecs, "dedupWindowSeconds")
	set := map[string]bool{"plan": p.Plan != nil, "customDailyBotLimit": p.CustomDailyBotLimit != nil,
		"maxConcurrentBots": p.MaxConcurrentBots != nil, "dedupWindowSeconds": p.DedupWindowSeconds != nil}
	for i, f := range p.Clear {
		v.Check(slices.Contains(clearable, f), domain.Index("clear", i), "must be one of plan, customDailyBotLimit, maxConcurrentBots, dedupWindowSeconds")
		v.Check(!set[f], domain.Index("clear", i), "cannot clear %s and set it in one request", f)
	}
	return v.Err()
}

// limitValue is the change to one limit: set to n, cleared, or kept.
func limitValue(n *int, clear []string, field string) store.LimitValue {
	if n != nil {
		return store.LimitValue{Set: true, Value: n}
	}
	return store.LimitValue{Set: slices.Contains(clear, field)}
}
