package store

import (
	"encoding/json"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Role is what a user may do: admins manage users and see the whole fleet.
type Role string

// The roles a user can have.
const (
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// User owns bots, keys and templates.
type User struct {
	ID    int64
	Email string
	Name  string
	Role  Role
	// CustomDailyBotLimit overrides the plan's daily limit when set.
	CustomDailyBotLimit *int
	CreatedAt           time.Time
	// Plan names the user's plan when an admin set one; it wins over any
	// subscription. Nil: the subscription's plan, else FREE.
	Plan *string
	// MaxConcurrentBots overrides the plan's concurrency cap when set.
	MaxConcurrentBots *int
	// DedupWindow, when positive, refuses a second live bot for one
	// meeting created within it.
	DedupWindow time.Duration
}

// APIKey is a credential of a user. Only the SHA-256 hash of the secret is
// kept; Prefix is the short visible start of the key, for recognising it.
type APIKey struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
	// MaxConcurrentBots caps the bots made with this key that hold
	// capacity at once, under the user's own cap; nil: no cap of its own.
	MaxConcurrentBots *int
}

// APIRequestLog records one authenticated API request.
type APIRequestLog struct {
	ID         int64
	APIKeyID   int64
	UserID     int64
	Method     string
	Path       string
	Status     int
	DurationMS int64
	IP         string
	Error      string
	CreatedAt  time.Time
}

// Plan names of subscriptions.
const (
	PlanFree       = "FREE"
	PlanPro        = "PRO"
	PlanPayAsYouGo = "PAY_AS_YOU_GO"
	PlanCustom     = "CUSTOM"
)

// Subscription gives a user a plan for a period.
type Subscription struct {
	ID     int64
	UserID int64
	Plan   string
	// DailyLimit is the plan's daily bot limit; nil means unlimited.
	DailyLimit *int
	Active     bool
	StartsAt   time.Time
	EndsAt     *time.Time
	CreatedAt  time.Time
}

// Meeting says which call a bot joins.
type Meeting struct {
	URL         string `json:"meetingUrl,omitempty"`
	Platform    string `json:"platform,omitempty"`
	MeetingID   string `json:"meetingId,omitempty"`
	Password    string `json:"meetingPassword,omitempty"`
	OrganizerID string `json:"organizerId,omitempty"`
	TenantID    string `json:"tenantId,omitempty"`
	MessageID   string `json:"messageId,omitempty"`
	ThreadID    string `json:"threadId,omitempty"`
}

// AutomaticLeave holds the bot's own leave timeouts, in milliseconds.
type AutomaticLeave struct {
	WaitingRoomTimeout  int64 `json:"waitingRoomTimeout"`
	NoOneJoinedTimeout  int64 `json:"noOneJoinedTimeout"`
	EveryoneLeftTimeout int64 `json:"everyoneLeftTimeout"`
	InactivityTimeout   int64 `json:"inactivityTimeout"`
}

// Bot is one bot sent to one meeting.
type Bot struct {
	ID             int64
	UserID         int64
	DisplayName    string
	ImageURL       string
	Meeting        Meeting
	JoinAt         *time.Time // nil: join as soon as admitted
	MaxDuration    time.Duration
	AutomaticLeave AutomaticLeave
	// RecordingEnabled asks the bot to record; RecordingKey is where the
	// bot stored the recording.
	RecordingEnabled  bool
	RecordingKey      string
	SpeakerTimeframes json.RawMessage // JSON array, as reported by the bot
	Status            api.BotStatus
	EndReason         string // set with DONE and FATAL
	EndDetail         string
	LastHeartbeatAt   *time.Time
	LogLevel          string
	CallbackURL       string
	// DeploymentPlatform is the platform capacity was taken on; PlatformID
	// the resource identifier once deployed.
	DeploymentPlatform string
	PlatformID         string
	// DeployedBy names the daemon that deployed the bot, for resources
	// only that daemon can see (a local process).
	DeployedBy string
	// PoolSlotID is the slot the bot was last given on a pooled platform;
	// it stays once the slot is released, as history.
	PoolSlotID      *int64
	Metadata        map[string]string
	Priority        int           // lower is admitted first
	QueueTimeout    time.Duration // 0: waits in the queue without limit
	QueuedAt        *time.Time
	DeployStartedAt *time.Time
	JoinedAt        *time.Time // first report from inside the platform
	EndedAt         *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// BotState is the part of a bot the bot-facing calls read on every
// request: who owns it, where it stands, and how it should log.
type BotState struct {
	ID               int64
	UserID           int64
	Status           api.BotStatus
	LogLevel         string
	RecordingEnabled bool
	EndedAt          *time.Time
}

// Event is something that happened to a bot.
type Event struct {
	ID        int64
	BotID     int64
	Type      string
	Time      time.Time
	Data      json.RawMessage // nil when none
	CreatedAt time.Time
}

// LogEntry is one line of a bot's log. EntryID is the bot's own id for the
// line; a second entry with the same id is ignored.
type LogEntry struct {
	ID      int64
	BotID   int64
	EntryID string
	Time    time.Time
	Level   string
	Message string
	Fields  json.RawMessage // state, location, context, elapsed
}

// Chat message statuses.
const (
	ChatQueued  = "queued"
	ChatSent    = "sent"
	ChatExpired = "expired"
)

// ChatMessage is a message queued for a bot to post in the meeting chat.
type ChatMessage struct {
	ID         int64
	BotID      int64
	UserID     int64
	TemplateID *int64
	Text       string
	Status     string
	EnqueuedAt time.Time
	SentAt     *time.Time
}

// Template is a named set of chat messages; sending a template to bots picks
// one of its messages per bot.
type Template struct {
	ID        int64
	UserID    int64
	Name      string
	Messages  []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Screenshot is the record of one image a bot uploaded.
type Screenshot struct {
	ID         int64
	BotID      int64
	Key        string // blob key
	Type       string // error, fatal, manual, state_change
	State      string
	Trigger    string
	Size       int64
	CapturedAt time.Time
}

// Pool slot statuses.
const (
	SlotIdle      = "IDLE"
	SlotDeploying = "DEPLOYING"
	SlotHealthy   = "HEALTHY"
	SlotReleasing = "RELEASING"
	SlotError     = "ERROR"
)

// PoolSlot is a long-lived container slot (Coolify) reused across bots. A
// slot serves one meeting platform, so a bot only gets a slot of its own
// platform's image.
type PoolSlot struct {
	ID              int64
	Platform        string // the deployment platform owning the slot
	MeetingPlatform string
	// Number is the slot's number within its platform and meeting
	// platform, the NNN of its name; admission takes the smallest free one.
	Number int
	Name   string
	// ApplicationUUID is the slot's application; "" until the daemon has
	// created it.
	ApplicationUUID  string
	Status           string
	AssignedBotID    *int64 // the bot it runs; nil unless DEPLOYING or HEALTHY
	TokenHash        string // the slot's agent token, hashed
	LastUsedAt       *time.Time
	ErrorMessage     string
	RecoveryAttempts int // ERRORs since the slot last deployed well
	LeaseHolder      string
	LeaseUntil       *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time // when its status last changed
}

// SlotPool marks a pooled platform in admission: bots run in reusable
// slots, at most Max of them over every meeting platform.
type SlotPool struct {
	Max int
	// Name names a new slot from its meeting platform and number (the
	// Coolify pool's pool-<meeting platform>-NNN).
	Name func(meetingPlatform string, number int) string
}

// PullState is what TryImagePull found.
type PullState string

// The outcomes of TryImagePull.
const (
	PullDone PullState = "done" // the image is on the server: deploy
	PullMine PullState = "mine" // the caller pulls: deploy, then FinishImagePull
	PullBusy PullState = "busy" // another holder pulls: wait
)

// ImagePull is the state of one server's image.
type ImagePull struct {
	Key        string
	State      PullState
	Holder     string // who pulls, while PullBusy or PullMine
	LeaseUntil *time.Time
	PulledAt   *time.Time
}

// DeployTurn is one entry of the deploy limit.
type DeployTurn struct {
	Scope, Entry, Holder string
	Seq                  int64 // queue order
	Granted              bool
	GrantedAt            *time.Time
	// Position is the entry's 1-based place among those waiting; 0 once
	// granted.
	Position    int
	RequestedAt time.Time
	LeaseUntil  time.Time
	WaitUntil   time.Time
}

// QueueEntry is a bot waiting for capacity.
type QueueEntry struct {
	BotID    int64
	UserID   int64
	Priority int
	QueuedAt time.Time
	// TimeoutAt is when the bot gives up waiting and ends FATAL.
	TimeoutAt time.Time
	// Position is 1-based, over the whole queue, FIFO within priority.
	Position int
	// DisplayName and MeetingPlatform are the bot's, for listings.
	DisplayName     string
	MeetingPlatform string
}

// PlatformLimit is one platform's place in admission: its name and the most
// bots it may hold at once.
type PlatformLimit struct {
	Name  string
	Limit int
	// Pool is set for a pooled platform (Coolify): admission then also
	// needs a slot of the bot's meeting platform, an idle one or a new
	// one while fewer than Pool.Max exist.
	Pool *SlotPool
	// CostPerHour is what a bot-hour on the platform costs, for the
	// cheapest policy and the ROUTED event.
	CostPerHour float64
}

// BotSpan is the part of a bot that usage is computed from.
type BotSpan struct {
	BotID     int64
	CreatedAt time.Time
	StartedAt *time.Time // deploy start
	EndedAt   *time.Time
	Status    api.BotStatus
	Platform  string // where it was deployed ("" before)
}

// RunTimeStats summarises observed run times of one meeting platform.
type RunTimeStats struct {
	P50, P90 time.Duration
	Count    int
}

// IdempotentResponse is a stored answer to a POST carrying an
// Idempotency-Key, replayed for 24 hours.
type IdempotentResponse struct {
	UserID      int64
	Key         string
	RequestHash string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyClaim is the input of ClaimIdempotencyKey. Token names this
// request's claim; NotBefore is the start of the replay window (an older
// record is as good as gone).
type IdempotencyClaim struct {
	UserID      int64
	Key         string
	RequestHash string
	Token       string
	Now         time.Time
	NotBefore   time.Time
	LeaseFor    time.Duration
}

// IdempotencyState is what ClaimIdempotencyKey found: the key claimed for
// this request, the stored answer of a finished one, or another request
// in progress. RequestHash is the holder's, to tell a retry from a
// different request reusing the key.
type IdempotencyState struct {
	Claimed     bool
	InProgress  bool
	Response    *IdempotentResponse
	RequestHash string
}

// WebhookDelivery is one webhook in the outbox. It is due while
// NextAttemptAt is set; DeliveredAt is set once a receiver answered 2xx,
// and a delivery given up on has neither.
type WebhookDelivery struct {
	ID         int64
	BotID      int64 // 0: an endpoint event
	UserID     int64
	EndpointID int64 // 0: the bot's callback URL
	URL        string
	// MessageID is the webhook-id receivers deduplicate on: one per event,
	// the same for each of its deliveries, retries and resends.
	MessageID string
	// SequenceKey names the deliveries attempted in order: one bot's
	// events to one target.
	SequenceKey   string
	Event         string
	Status        api.BotStatus // the bot's status with the event
	Payload       json.RawMessage
	Attempts      int
	NextAttemptAt *time.Time
	LastStatus    int // the receiver's last HTTP status; 0 when none came
	LastError     string
	LastLatency   time.Duration
	LastResponse  string // the start of the receiver's last answer
	LastAttemptAt *time.Time
	DeliveredAt   *time.Time
	ClaimHolder   string
	ClaimUntil    *time.Time
	CreatedAt     time.Time
}

// GivenUp reports whether the delivery failed for good.
func (d WebhookDelivery) GivenUp() bool { return d.DeliveredAt == nil && d.NextAttemptAt == nil }

// Plan is a named set of limits users are put on. A nil limit is none.
type Plan struct {
	Name           string
	DailyBots      *int
	ConcurrentBots *int
	// MaxBotDuration caps (and defaults) a bot's maximum duration; 0
	// leaves the daemon's default.
	MaxBotDuration time.Duration
}

// Limits is what a user may run, resolved from their plan and overrides.
type Limits struct {
	Plan           string
	DailyBots      *int // nil: unlimited
	ConcurrentBots *int // nil: unlimited
	MaxBotDuration time.Duration
	DedupWindow    time.Duration
}

// LimitValue is one limit of a UserLimitsPatch: Set says whether it
// changes, and to Value (nil clears it).
type LimitValue struct {
	Set   bool
	Value *int
}

// UserLimitsPatch changes a user's own limits; unset fields stay.
type UserLimitsPatch struct {
	DailyBots          LimitValue
	ConcurrentBots     LimitValue
	DedupWindowSeconds LimitValue
}
