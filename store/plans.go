package store

import (
	"context"
	"database/sql"
	"strings"
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
	var u User
	dests, finish := userDests(&u)
	var subPlan, planName sql.NullString
	var subLimit, daily, concurrent, maxDur sql.NullInt64
	at := s.d.at(now)
	// One read: the user, its active subscription (the newest started)
	// and the plan that applies, which is the user's own, else the
	// subscription's, else FREE.
	err := mapErr(s.reader().QueryRowContext(ctx, s.d.rebind("SELECT "+userColsOf("u")+", s.plan, s.daily_limit, "+
		"p.name, p.daily_bots, p.concurrent_bots, p.max_bot_duration_seconds FROM users u "+
		"LEFT JOIN subscriptions s ON s.id = (SELECT x.id FROM subscriptions x WHERE x.user_id = u.id AND x.active AND "+
		"x.starts_at <= ? AND (x.ends_at IS NULL OR x.ends_at > ?) ORDER BY x.starts_at DESC, x.id DESC LIMIT 1) "+
		"LEFT JOIN plans p ON p.name = COALESCE(u.plan, s.plan, ?) WHERE u.id = ?"), at, at, PlanFree, userID).
		Scan(append(dests, &subPlan, &subLimit, &planName, &daily, &concurrent, &maxDur)...))
	if err != nil {
		return Limits{}, err
	}
	finish()
	l := Limits{Plan: PlanFree, DedupWindow: u.DedupWindow}
	switch {
	case u.Plan != nil:
		l.Plan = *u.Plan
	case subPlan.Valid:
		l.Plan = subPlan.String
	}
	if planName.Valid {
		l.DailyBots, l.ConcurrentBots = nullInt(daily), nullInt(concurrent)
		l.MaxBotDuration = time.Duration(maxDur.Int64) * time.Second
	}
	if u.Plan == nil && subLimit.Valid { // a subscription's own daily limit
		l.DailyBots = nullInt(subLimit)
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

// userColsOf is userCols qualified by the alias t, for joins.
func userColsOf(t string) string {
	return t + "." + strings.ReplaceAll(userCols, ", ", ", "+t+".")
}

// RunningBots counts the user's bots holding capacity, as admission
// counts them against the concurrency cap.
func (s *db) RunningBots(ctx context.Context, userID int64) (int, error) {
	cond, args := statusIn("status", capacityStatuses)
	return s.count(ctx, "SELECT count(*) FROM bots WHERE user_id = ? AND "+cond, append([]any{userID}, args...)...)
}
