package api

import "time"

// User is an account. Admins manage users and see the whole fleet; members
// see only their own resources.
type User struct {
	ID                  int64     `json:"id"`
	Email               string    `json:"email"`
	Name                string    `json:"name"`
	Role                string    `json:"role"`
	CustomDailyBotLimit *int      `json:"customDailyBotLimit,omitempty"`
	CreatedAt           time.Time `json:"createdAt"`
	// Plan is the plan an admin put the user on; absent, their
	// subscription's (or FREE).
	Plan *string `json:"plan,omitempty"`
	// MaxConcurrentBots overrides the plan's concurrency cap.
	MaxConcurrentBots *int `json:"maxConcurrentBots,omitempty"`
	// DedupWindowSeconds, when set, refuses a second live bot for one
	// meeting created within that many seconds of the first.
	DedupWindowSeconds int `json:"dedupWindowSeconds,omitempty"`
}

// UpdateUserRequest is the body of PATCH /v1/users/{id} (admins only):
// the members present change; Clear names members to reset (plan: back to
// the subscription's; a limit: back to the plan's).
type UpdateUserRequest struct {
	Plan                *string  `json:"plan,omitempty"`
	CustomDailyBotLimit *int     `json:"customDailyBotLimit,omitempty"`
	MaxConcurrentBots   *int     `json:"maxConcurrentBots,omitempty"`
	DedupWindowSeconds  *int     `json:"dedupWindowSeconds,omitempty"`
	Clear               []string `json:"clear,omitempty"`
}

// PlanLimits is a plan: a named set of limits users are put on. A nil
// limit is none; MaxBotDurationSeconds 0 leaves the daemon's default.
type PlanLimits struct {
	Name                  string `json:"name"`
	DailyBots             *int   `json:"dailyBots"`
	ConcurrentBots        *int   `json:"concurrentBots"`
	MaxBotDurationSeconds int    `json:"maxBotDurationSeconds,omitempty"`
}

// CreatePlanRequest is the body of POST /v1/plans (admins only).
type CreatePlanRequest = PlanLimits

// Roles of a user.
const (
	RoleAdmin  = "admin"
	RoleMember = "member"
)

// CreateUserRequest is the body of POST /v1/users (admins only). The
// answer carries the new user's first API key, shown once.
type CreateUserRequest struct {
	Email               string `json:"email"`
	Name                string `json:"name"`
	Role                string `json:"role,omitempty"`
	CustomDailyBotLimit *int   `json:"customDailyBotLimit,omitempty"`
}

// CreatedUser is a new user with its first key.
type CreatedUser struct {
	User User       `json:"user"`
	Key  CreatedKey `json:"key"`
}

// APIKey describes a key; the secret itself is never shown again after
// creation.
type APIKey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  *time.Time `json:"expiresAt,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	// MaxConcurrentBots caps the bots made with this key that run at
	// once, within the user's own cap.
	MaxConcurrentBots *int `json:"maxConcurrentBots,omitempty"`
}

// CreateKeyRequest is the body of POST /v1/keys. ExpiresInDays defaults to
// 180 and may be at most 365.
type CreateKeyRequest struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expiresInDays,omitempty"`
	// MaxConcurrentBots gives the key a concurrency cap of its own.
	MaxConcurrentBots *int `json:"maxConcurrentBots,omitempty"`
}

// CreatedKey is a new key with its secret, shown once.
type CreatedKey struct {
	APIKey
	Secret string `json:"secret"`
	// SecretOmitted is set on the replay of an idempotent request: the
	// secret was shown once, in the first answer, and is kept nowhere, so
	// a replay carries an empty Secret.
	SecretOmitted bool `json:"secretOmitted,omitempty"`
}

// RequestLog is one authenticated request.
type RequestLog struct {
	ID         int64     `json:"id"`
	KeyID      int64     `json:"keyId"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	DurationMS int64     `json:"durationMs"`
	IP         string    `json:"ip,omitempty"`
	Error      string    `json:"error,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Usage is a user's consumption per day in the requested time zone.
type Usage struct {
	TimeZone string     `json:"timeZone"`
	Days     []UsageDay `json:"days"`
	// Platforms is the range's bot-hours per platform, with their
	// estimated cost at the platform's configured rate.
	Platforms []UsagePlatform `json:"platforms"`
	// EstimatedCost is the sum of the platforms' estimated costs.
	EstimatedCost float64 `json:"estimatedCost"`
}

// UsagePlatform is one platform's share of a usage range.
type UsagePlatform struct {
	Platform      string  `json:"platform"`
	Bots          int     `json:"bots"`
	BotHours      float64 `json:"botHours"`
	CostPerHour   float64 `json:"costPerHour"`
	EstimatedCost float64 `json:"estimatedCost"`
}

// UsageDay is one local day of usage. BotMinutes counts each bot from its
// deploy start to its end (or now, while it runs).
type UsageDay struct {
	Date       string  `json:"date"` // YYYY-MM-DD in the zone
	Bots       int     `json:"bots"`
	BotMinutes float64 `json:"botMinutes"`
}

// Plan is a user's plan with today's allowance.
type Plan struct {
	Plan       string `json:"plan"`
	DailyLimit *int   `json:"dailyLimit"` // nil: unlimited
	UsedToday  int    `json:"usedToday"`
	Remaining  *int   `json:"remaining"` // nil: unlimited
	TimeZone   string `json:"timeZone"`
	ResetsAt   string `json:"resetsAt"`
	// ConcurrentLimit caps your bots holding capacity at once (nil: no
	// cap); Running is how many do now.
	ConcurrentLimit *int `json:"concurrentLimit"`
	Running         int  `json:"running"`
	// MaxBotDurationSeconds caps a bot's maxDurationSeconds on the plan
	// (0: the daemon's default applies).
	MaxBotDurationSeconds int64 `json:"maxBotDurationSeconds,omitempty"`
	// DedupWindowSeconds is your duplicate-bot window (0: none).
	DedupWindowSeconds int64 `json:"dedupWindowSeconds,omitempty"`
}
