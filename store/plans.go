package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

const planCols = "name, daily_bots, concurrent_bots, max_bot_duration_seconds"

func scanPlan(r interface{ Scan(...any) error }, p *Plan) error {
	var daily, concurrent, maxDur sql.NullInt64
	if err := r.Scan(&p.Name, &daily, &concurrent, &maxDur); err != nil {
		return err
	}
	p.DailyBots, p.ConcurrentBots = nullInt(daily), nullInt(concurrent)
	p.MaxBotDuration = time.Duration(maxDur.Int64) * time.Second
	return nil
}

// intArg is a nullable integer argument: NULL for nil.
func intArg(n *int) any {
	if n == nil {
		return nil
	}
	return int64(*n)
}

// CreatePlan inserts a plan; a taken name is ErrConflict.
func (s *db) CreatePlan(ctx context.Context, p Plan) (Plan, error) {
	var maxDur any
	if p.MaxBotDuration > 0 {
		maxDur = int64(p.MaxBotDuration / time.Second)
	}
	var out Plan
	err := mapErr(scanPlan(s.ex.QueryRowContext(ctx, s.d.rebind(
		"INSERT INTO plans ("+planCols+") VALUES (?, ?, ?, ?) RETURNING "+planCols),
		p.Name, intArg(p.DailyBots), intArg(p.ConcurrentBots), maxDur), &out))
	return out, err
}

// GetPlan reads a plan by name.
func (s *db) GetPlan(ctx context.Context, name string) (Plan, error) {
	var out Plan
	err := mapErr(scanPlan(s.ex.QueryRowContext(ctx, s.d.rebind("SELECT "+planCols+" FROM plans WHERE name = ?"), name), &out))
	return out, err
}

// ListPlans lists every plan by name.
func (s *db) ListPlans(ctx context.Context) ([]Plan, error) {
	var out []Plan
	err := s.each(ctx, "SELECT "+planCols+" FROM plans ORDER BY name", nil, func(r *sql.Rows) error {
		var p Plan
		err := scanPlan(r, &p)
		out = append(out, p)
		return err
	})
	return out, err
}

// SetUserPlan puts a user on a plan, or with nil back on their
// subscription's. An unknown user is ErrNotFound, an unknown plan
// ErrConflict (the foreign key).
func (s *db) SetUserPlan(ctx context.Context, userID int64, plan *string) error {
	var v any
	if plan != nil {
		v = *plan
	}
	n, err := s.exec(ctx, "UPDATE users SET plan = ? WHERE id = ?", v, userID)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// SetUserLimits changes the limits p sets and keeps the others.
func (s *db) SetUserLimits(ctx context.Context, userID int64, p UserLimitsPatch) error {
	set, args := "", []any{}
	add := func(col string, v LimitValue) {
		if !v.Set {
			return
		}
		if set != "" {
			set += ", "
		}
		set += col + " = ?"
		args = append(args, intArg(v.Value))
	}
	add("custom_daily_bot_limit", p.DailyBots)
	add("max_concurrent_bots", p.ConcurrentBots)
	add("dedup_window_seconds", p.DedupWindowSeconds)
	if set == "" {
		_, err := s.GetUser(ctx, userID)
		return err
	}
	n, err := s.exec(ctx, "UPDATE users SET "+set+" WHERE id = ?", append(args, userID)...)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// UserLimits resolves what a user may run at now. The plan is the user's
// own (set by an admin), else their active subscription's, else FREE. A
// subscription's daily limit, when it has one, wins over its plan's. An
// admin with no plan of their own is unlimited, so the operator of a local
// daemon is never throttled. The user's overrides win last. The
// concurrency cap resolved here is the one admission enforces (capSQL
// says the same in SQL), so usage shows what admission does.
func (s *db) UserLimits(ctx context.Context, userID int64, now time.Time) (Limits, error) {
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return Limits{}, err
	}
	name, subLimit, err := s.planName(ctx, u, now)
	if err != nil {
		return Limits{}, err
	}
	l := Limits{Plan: name, DedupWindow: u.DedupWindow}
	if p, err := s.GetPlan(ctx, name); err == nil {
		l.DailyBots, l.ConcurrentBots, l.MaxBotDuration = p.DailyBots, p.ConcurrentBots, p.MaxBotDuration
	} else if !errors.Is(err, ErrNotFound) {
		return Limits{}, err
	}
	if subLimit != nil {
		l.DailyBots = subLimit
	}
	if u.Role == RoleAdmin && u.Plan == nil {
		l.DailyBots, l.ConcurrentBots = nil, nil
	}
	if u.CustomDailyBotLimit != nil {
		l.DailyBots = u.CustomDailyBotLimit
	}
	if u.MaxConcurrentBots != nil {
		l.ConcurrentBots = u.MaxConcurrentBots
	}
	return l, nil
}

// planName is the name of the user's plan and, when it comes from a
// subscription that sets one, that subscription's daily limit.
func (s *db) planName(ctx context.Context, u User, now time.Time) (string, *int, error) {
	if u.Plan != nil {
		return *u.Plan, nil, nil
	}
	sub, err := s.ActiveSubscription(ctx, u.ID, now)
	switch {
	case err == nil:
		return sub.Plan, sub.DailyLimit, nil
	case errors.Is(err, ErrNotFound):
		return PlanFree, nil, nil
	}
	return "", nil, err
}

// RunningBots counts the user's bots holding capacity, as admission
// counts them against the concurrency cap.
func (s *db) RunningBots(ctx context.Context, userID int64) (int, error) {
	cond, args := statusIn("status", capacityStatuses)
	return s.count(ctx, "SELECT count(*) FROM bots WHERE user_id = ? AND "+cond, append([]any{userID}, args...)...)
}
