package store

import (
	"context"
	"database/sql"
	"time"
)

const userCols = "id, email, name, role, custom_daily_bot_limit, created_at, plan, max_concurrent_bots, dedup_window_seconds"

func scanUser(r interface{ Scan(...any) error }, u *User) error {
	dests, finish := userDests(u)
	if err := r.Scan(dests...); err != nil {
		return err
	}
	finish()
	return nil
}

// userDests are the scan destinations of userCols into u, and what turns
// them into u's fields once scanned.
func userDests(u *User) ([]any, func()) {
	var limit, concurrent, window sql.NullInt64
	var plan sql.NullString
	return []any{&u.ID, &u.Email, &u.Name, &u.Role, &limit, timeCol{&u.CreatedAt}, &plan, &concurrent, &window}, func() {
		u.CustomDailyBotLimit, u.MaxConcurrentBots = nullInt(limit), nullInt(concurrent)
		u.Plan = nil
		if plan.Valid {
			u.Plan = &plan.String
		}
		u.DedupWindow = time.Duration(window.Int64) * time.Second
	}
}

// nullInt reads a nullable integer column: nil when NULL.
func nullInt(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

// CreateUser inserts a user; a taken email is ErrConflict. The role defaults
// to member.
func (s *db) CreateUser(ctx context.Context, p NewUser) (User, error) {
	role := p.Role
	if role == "" {
		role = RoleMember
	}
	var u User
	err := mapErr(scanUser(s.ex.QueryRowContext(ctx, s.d.rebind(
		"INSERT INTO users (email, name, role, created_at) VALUES (?, ?, ?, ?) RETURNING "+userCols),
		p.Email, p.Name, string(role), s.d.at(p.Now)), &u))
	return u, err
}

// GetUser reads a user by id.
func (s *db) GetUser(ctx context.Context, id int64) (User, error) {
	var u User
	err := mapErr(scanUser(s.ex.QueryRowContext(ctx, s.d.rebind("SELECT "+userCols+" FROM users WHERE id = ?"), id), &u))
	return u, err
}

// ListUsers pages users by id ascending.
func (s *db) ListUsers(ctx context.Context, p Page) ([]User, error) {
	var out []User
	err := s.each(ctx, "SELECT "+userCols+" FROM users WHERE id > ? ORDER BY id LIMIT ?",
		[]any{p.AfterID, limit(p.Limit)}, func(r *sql.Rows) error {
			var u User
			err := scanUser(r, &u)
			out = append(out, u)
			return err
		})
	return out, err
}

// CountUsers counts every user.
func (s *db) CountUsers(ctx context.Context) (int, error) {
	return s.count(ctx, "SELECT count(*) FROM users")
}

// SetCustomDailyLimit overrides (or, with nil, clears) a user's daily limit.
func (s *db) SetCustomDailyLimit(ctx context.Context, userID int64, lim *int) error {
	var v any
	if lim != nil {
		v = int64(*lim)
	}
	n, err := s.exec(ctx, "UPDATE users SET custom_daily_bot_limit = ? WHERE id = ?", v, userID)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

const subCols = "id, user_id, plan, daily_limit, active, starts_at, ends_at, created_at"

func scanSub(r interface{ Scan(...any) error }, sub *Subscription) error {
	var limit sql.NullInt64
	err := r.Scan(&sub.ID, &sub.UserID, &sub.Plan, &limit, &sub.Active,
		timeCol{&sub.StartsAt}, nullTimeCol{&sub.EndsAt}, timeCol{&sub.CreatedAt})
	if err != nil {
		return err
	}
	sub.DailyLimit = nil
	if limit.Valid {
		n := int(limit.Int64)
		sub.DailyLimit = &n
	}
	return nil
}

// CreateSubscription inserts a subscription; CreatedAt defaults to StartsAt.
func (s *db) CreateSubscription(ctx context.Context, sub Subscription) (Subscription, error) {
	var lim any
	if sub.DailyLimit != nil {
		lim = int64(*sub.DailyLimit)
	}
	created := sub.CreatedAt
	if created.IsZero() {
		created = sub.StartsAt
	}
	var out Subscription
	err := mapErr(scanSub(s.ex.QueryRowContext(ctx, s.d.rebind(
		"INSERT INTO subscriptions (user_id, plan, daily_limit, active, starts_at, ends_at, created_at) "+
			"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "+subCols),
		sub.UserID, sub.Plan, lim, sub.Active, s.d.at(sub.StartsAt), s.d.atp(sub.EndsAt), s.d.at(created)), &out))
	return out, err
}

// ActiveSubscription returns the newest active subscription covering now.
func (s *db) ActiveSubscription(ctx context.Context, userID int64, now time.Time) (Subscription, error) {
	var out Subscription
	err := mapErr(scanSub(s.ex.QueryRowContext(ctx, s.d.rebind("SELECT "+subCols+
		" FROM subscriptions WHERE user_id = ? AND active AND starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)"+
		" ORDER BY starts_at DESC, id DESC LIMIT 1"),
		userID, s.d.at(now), s.d.at(now)), &out))
	return out, err
}
