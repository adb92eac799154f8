package api

import (
	"encoding/json"
	"time"
)

// Meeting platforms a bot can join.
const (
	MeetingGoogleMeet     = "google-meet"
	MeetingMicrosoftTeams = "microsoft-teams"
	MeetingZoom           = "zoom"
)

// Meeting says which call a bot joins. Only MeetingURL is required; the
// platform is derived from it when not given.
type Meeting struct {
	MeetingURL      string `json:"meetingUrl"`
	Platform        string `json:"platform,omitempty"`
	MeetingID       string `json:"meetingId,omitempty"`
	MeetingPassword string `json:"meetingPassword,omitempty"`
	OrganizerID     string `json:"organizerId,omitempty"`
	TenantID        string `json:"tenantId,omitempty"`
	MessageID       string `json:"messageId,omitempty"`
	ThreadID        string `json:"threadId,omitempty"`
}

// AutomaticLeave holds the bot's own leave timeouts in milliseconds. Values
// below the floors (10 min waiting room, 1 min no one joined, 1 min everyone
// left, 5 min inactivity) are raised to them.
type AutomaticLeave struct {
	WaitingRoomTimeout  int64 `json:"waitingRoomTimeout"`
	NoOneJoinedTimeout  int64 `json:"noOneJoinedTimeout"`
	EveryoneLeftTimeout int64 `json:"everyoneLeftTimeout"`
	InactivityTimeout   int64 `json:"inactivityTimeout"`
}

// Bot is a bot as the API shows it.
type Bot struct {
	ID                 int64             `json:"id"`
	DisplayName        string            `json:"displayName"`
	ImageURL           string            `json:"imageUrl,omitempty"`
	Meeting            Meeting           `json:"meeting"`
	JoinAt             *time.Time        `json:"joinAt,omitempty"`
	MaxDurationSeconds int64             `json:"maxDurationSeconds"`
	AutomaticLeave     AutomaticLeave    `json:"automaticLeave"`
	RecordingEnabled   bool              `json:"recordingEnabled"`
	Recording          string            `json:"recording,omitempty"`
	SpeakerTimeframes  json.RawMessage   `json:"speakerTimeframes,omitempty"`
	Status             BotStatus         `json:"status"`
	EndReason          string            `json:"endReason,omitempty"`
	EndDetail          string            `json:"endDetail,omitempty"`
	LastHeartbeatAt    *time.Time        `json:"lastHeartbeatAt,omitempty"`
	LogLevel           string            `json:"logLevel"`
	CallbackURL        string            `json:"callbackUrl,omitempty"`
	DeploymentPlatform string            `json:"deploymentPlatform,omitempty"`
	PlatformID         string            `json:"platformId,omitempty"`
	Metadata           map[string]string `json:"metadata"`
	Priority           int               `json:"priority"`
	QueueTimeoutSecs   int64             `json:"queueTimeoutSeconds"`
	// QueuePosition and EstimatedWaitSeconds are set while the bot is QUEUED.
	QueuePosition        int        `json:"queuePosition,omitempty"`
	EstimatedWaitSeconds int64      `json:"estimatedWaitSeconds,omitempty"`
	QueuedAt             *time.Time `json:"queuedAt,omitempty"`
	// Reservation is the capacity a SCHEDULED bot holds for its window.
	Reservation     *Reservation `json:"reservation,omitempty"`
	DeployStartedAt *time.Time   `json:"deployStartedAt,omitempty"`
	JoinedAt        *time.Time   `json:"joinedAt,omitempty"`
	EndedAt         *time.Time   `json:"endedAt,omitempty"`
	CreatedAt       time.Time    `json:"createdAt"`
	UpdatedAt       time.Time    `json:"updatedAt"`
}

// CreateBotRequest is the body of POST /v1/bots.
type CreateBotRequest struct {
	Meeting            Meeting           `json:"meeting"`
	DisplayName        string            `json:"displayName,omitempty"`
	ImageURL           string            `json:"imageUrl,omitempty"`
	JoinAt             *time.Time        `json:"joinAt,omitempty"`
	MaxDurationSeconds int64             `json:"maxDurationSeconds,omitempty"`
	AutomaticLeave     *AutomaticLeave   `json:"automaticLeave,omitempty"`
	RecordingEnabled   bool              `json:"recordingEnabled,omitempty"`
	CallbackURL        string            `json:"callbackUrl,omitempty"`
	Metadata           map[string]string `json:"metadata,omitempty"`
	LogLevel           string            `json:"logLevel,omitempty"`
	// QueueTimeoutSeconds bounds how long the bot may wait for capacity
	// (default 600, at most 86400).
	QueueTimeoutSeconds int64 `json:"queueTimeoutSeconds,omitempty"`
	Priority            int   `json:"priority,omitempty"`
	// BestEffort creates a bot scheduled for a window every platform is
	// booked for, without a reservation (it is queued at its time);
	// otherwise such a request is refused with capacity_unavailable.
	BestEffort bool `json:"bestEffort,omitempty"`
	// LobbyNudgeAfterSeconds is how long the bot may wait in a waiting
	// room before bot.waiting_room is sent (default 60, at most 86400).
	LobbyNudgeAfterSeconds int64 `json:"lobbyNudgeAfterSeconds,omitempty"`
	// DeduplicationKey names the meeting for duplicate refusal instead of
	// its URL: while a live bot of yours with this key was created within
	// your deduplication window (5 minutes when you have none), a create
	// is refused with 409 duplicate_bot naming that bot.
	DeduplicationKey string `json:"deduplicationKey,omitempty"`
	// AllowDuplicate creates the bot even when a live one for the same
	// meeting is within the window.
	AllowDuplicate bool `json:"allowDuplicate,omitempty"`
	// QueueAtConcurrencyLimit queues the bot (QUEUED, admitted when one of
	// yours ends) instead of answering 429 concurrency_limit when you are
	// at your concurrency cap.
	QueueAtConcurrencyLimit bool `json:"queueAtConcurrencyLimit,omitempty"`
}

// UpdateBotRequest is the body of PATCH /v1/bots/{id}. Only the fields
// present change; a bot can be updated until it is deployed.
type UpdateBotRequest struct {
	DisplayName        *string           `json:"displayName,omitempty"`
	ImageURL           *string           `json:"imageUrl,omitempty"`
	JoinAt             *time.Time        `json:"joinAt,omitempty"`
	JoinNow            bool              `json:"joinNow,omitempty"`
	MaxDurationSeconds *int64            `json:"maxDurationSeconds,omitempty"`
	AutomaticLeave     *AutomaticLeave   `json:"automaticLeave,omitempty"`
	CallbackURL        *string           `json:"callbackUrl,omitempty"`
	Metadata           map[string]string `json:"metadata,omitempty"`
	// BestEffort keeps a rescheduled bot, without a reservation, when its
	// new window is booked out.
	BestEffort bool `json:"bestEffort,omitempty"`
}

// LogLevelRequest is the body of POST /v1/bots/{id}/log-level.
type LogLevelRequest struct {
	LogLevel string `json:"logLevel"`
}

// BulkRequest names bots for a bulk leave or cancel.
type BulkRequest struct {
	BotIDs []int64 `json:"botIds"`
}

// BulkResult says which bots a bulk operation acted on and which it could
// not, with the reason.
type BulkResult struct {
	Succeeded []int64       `json:"succeeded"`
	Failed    []BulkFailure `json:"failed"`
}

// BulkFailure is one bot a bulk operation could not act on.
type BulkFailure struct {
	BotID int64  `json:"botId"`
	Code  string `json:"code"`
	Error string `json:"error"`
}

// List is one page of a listing. NextCursor, when set, fetches the next
// page through the listing's cursor parameter.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// Event is something that happened to a bot.
type Event struct {
	ID        int64           `json:"id"`
	BotID     int64           `json:"botId"`
	Type      string          `json:"type"`
	Time      time.Time       `json:"time"`
	Data      json.RawMessage `json:"data,omitempty"`
	CreatedAt time.Time       `json:"createdAt"`
}

// LogEntry is one line of a bot's log.
type LogEntry struct {
	ID      int64           `json:"id"`
	BotID   int64           `json:"botId"`
	EntryID string          `json:"entryId,omitempty"`
	Time    time.Time       `json:"time"`
	Level   string          `json:"level"`
	Message string          `json:"message"`
	Fields  json.RawMessage `json:"fields,omitempty"`
}

// Screenshot is the record of an image a bot uploaded.
type Screenshot struct {
	ID         int64     `json:"id"`
	BotID      int64     `json:"botId"`
	Key        string    `json:"key"`
	Type       string    `json:"type"`
	State      string    `json:"state"`
	Trigger    string    `json:"trigger,omitempty"`
	Size       int64     `json:"size"`
	CapturedAt time.Time `json:"capturedAt"`
	// URL is where the image can be downloaded: a signed URL that needs no
	// API key, or a path on the daemon. Empty when the daemon offers no
	// download.
	URL string `json:"url,omitempty"`
	// URLExpiresAt is when a signed URL stops working.
	URLExpiresAt *time.Time `json:"urlExpiresAt,omitempty"`
}

// Recording is where a bot's recording can be downloaded: the storage key
// the bot reported with DONE and a signed URL of it, which needs no API
// key, until ExpiresAt.
type Recording struct {
	BotID     int64     `json:"botId"`
	Key       string    `json:"key"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
}
