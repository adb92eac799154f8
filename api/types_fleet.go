package api

import (
	"encoding/json"
	"time"
)

// QueueEntry is a bot waiting for capacity.
type QueueEntry struct {
	BotID                int64     `json:"botId"`
	DisplayName          string    `json:"displayName"`
	MeetingPlatform      string    `json:"meetingPlatform"`
	Position             int       `json:"position"`
	Priority             int       `json:"priority"`
	QueuedAt             time.Time `json:"queuedAt"`
	TimeoutAt            time.Time `json:"timeoutAt"`
	EstimatedWaitSeconds int64     `json:"estimatedWaitSeconds"`
}

// PoolStatus is the capacity of every configured platform, in admission
// order, with the queue and bot counts.
type PoolStatus struct {
	Platforms    []PlatformCapacity `json:"platforms"`
	Queued       int                `json:"queued"`
	OldestQueued *time.Time         `json:"oldestQueued,omitempty"`
	StatusCounts map[BotStatus]int  `json:"statusCounts"`
	Today        DayCounts          `json:"today"`
	// Slots counts the Coolify pool's slots per meeting platform; absent
	// when the daemon runs no pool.
	Slots []SlotCounts `json:"slots,omitempty"`
}

// SlotCounts counts one meeting platform's pool slots by state: Busy run
// a bot (DEPLOYING or HEALTHY), Releasing are being stopped after one.
type SlotCounts struct {
	MeetingPlatform string `json:"meetingPlatform"`
	Total           int    `json:"total"`
	Idle            int    `json:"idle"`
	Busy            int    `json:"busy"`
	Releasing       int    `json:"releasing"`
	Error           int    `json:"error"`
	// MinIdle is the warm minimum of idle slots (COOLIFY_POOL_MIN_IDLE).
	MinIdle int `json:"minIdle"`
}

// CreateSlotsRequest adds idle slots to the Coolify pool.
type CreateSlotsRequest struct {
	MeetingPlatform string `json:"meetingPlatform"` // google-meet, microsoft-teams or zoom
	Count           int    `json:"count"`           // 1 to 100; fewer are made when the pool is nearly full
}

// PoolSyncResult is what one sync of the pool with Coolify did.
type PoolSyncResult struct {
	Apps  int `json:"apps"`  // pool applications Coolify listed
	Slots int `json:"slots"` // slots in the database
	// Deleted names applications no slot named, now deleted; Forgotten
	// slots whose application vanished (their next deploy makes one);
	// Removed slots deleted because their application vanished.
	Deleted   []string `json:"deleted"`
	Forgotten []string `json:"forgotten"`
	Removed   []string `json:"removed"`
}

// PlatformCapacity is one platform's capacity.
type PlatformCapacity struct {
	Name  string `json:"name"`
	Used  int    `json:"used"`
	Free  int    `json:"free"`
	Limit int    `json:"limit"`
}

// DayCounts counts bots started, done and failed since midnight UTC.
type DayCounts struct {
	Started int `json:"started"`
	// Done and Failed are the bots started today that ended DONE and
	// FATAL; together they never exceed Started.
	Done   int `json:"done"`
	Failed int `json:"failed"`
	// NotStarted counts the bots that ended today without ever starting:
	// cancelled, or expired in the queue.
	NotStarted int `json:"notStarted"`
}

// PoolSlot is a reusable container slot.
type PoolSlot struct {
	ID              int64      `json:"id"`
	Platform        string     `json:"platform"`
	MeetingPlatform string     `json:"meetingPlatform"`
	Name            string     `json:"name"`
	Status          string     `json:"status"`
	BotID           *int64     `json:"botId,omitempty"`
	LastUsedAt      *time.Time `json:"lastUsedAt,omitempty"`
	Error           string     `json:"error,omitempty"`
}

// StreamEvent is one message of the server-sent event streams
// /v1/events/stream and /v1/bots/{id}/stream. Type is "bot" (Bot is set:
// the bot changed), "event" (Event is set), "log" (Log is set, with its
// stored id), "heartbeats" (Heartbeats is set: the last heartbeat of each
// of your live bots, every few seconds, fleet stream only), "hello" (the
// fleet stream's first message, sent at once), "reset" (the daemon cannot
// replay what a reconnecting client missed: reload, then follow) or
// "ping".
type StreamEvent struct {
	Type       string         `json:"type"`
	Bot        *Bot           `json:"bot,omitempty"`
	Event      *Event         `json:"event,omitempty"`
	Log        *LogEntry      `json:"log,omitempty"`
	Heartbeats []BotHeartbeat `json:"heartbeats,omitempty"`
	// ID is the message's server-sent event id, when it has one: pass the
	// last one seen as StreamOptions.LastEventID to resume after it.
	ID string `json:"-"`
}

// BotHeartbeat is when a bot last heartbeat.
type BotHeartbeat struct {
	BotID int64     `json:"botId"`
	At    time.Time `json:"at"`
}

// The types of StreamEvent.
const (
	StreamBot        = "bot"
	StreamEventType  = "event"
	StreamLog        = "log"
	StreamHeartbeats = "heartbeats"
	StreamHello      = "hello"
	StreamReset      = "reset"
	StreamPing       = "ping"
)

// Health is the body of /healthz and /readyz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
	Engine  string `json:"engine,omitempty"`
	Leader  bool   `json:"leader"`
}

// AgentConfig is what a bot fetches at start from /v1/agent/config.
type AgentConfig struct {
	BotID            int64          `json:"botId"`
	UserID           int64          `json:"userId"`
	Meeting          Meeting        `json:"meeting"`
	DisplayName      string         `json:"displayName"`
	ImageURL         string         `json:"imageUrl,omitempty"`
	StartTime        time.Time      `json:"startTime"`
	EndTime          time.Time      `json:"endTime"`
	RecordingEnabled bool           `json:"recordingEnabled"`
	AutomaticLeave   AutomaticLeave `json:"automaticLeave"`
	LogLevel         string         `json:"logLevel"`
	// Metadata is the bot's metadata, so a test bot can read its scenario.
	Metadata map[string]string `json:"metadata"`
}

// AgentHeartbeat is the answer to a heartbeat.
type AgentHeartbeat struct {
	ShouldLeave bool      `json:"shouldLeave"`
	LogLevel    string    `json:"logLevel"`
	Status      BotStatus `json:"status"`
}

// AgentStatusRequest reports a status change. SubCode is the bot's own
// reason code for FATAL (SIGN_IN_REQUIRED, ...).
type AgentStatusRequest struct {
	Status            BotStatus       `json:"status"`
	SubCode           string          `json:"subCode,omitempty"`
	Description       string          `json:"description,omitempty"`
	Recording         string          `json:"recording,omitempty"`
	SpeakerTimeframes json.RawMessage `json:"speakerTimeframes,omitempty"`
}

// AgentEvent is one event a bot reports.
type AgentEvent struct {
	Type string          `json:"type"`
	Time time.Time       `json:"time"`
	Data json.RawMessage `json:"data,omitempty"`
}

// AgentEventsRequest is a batch of events.
type AgentEventsRequest struct {
	Events []AgentEvent `json:"events"`
}

// AgentLogEntry is one log line a bot sends; ID deduplicates retries.
type AgentLogEntry struct {
	ID      string          `json:"id"`
	Time    time.Time       `json:"time"`
	Level   string          `json:"level"`
	Message string          `json:"message"`
	Fields  json.RawMessage `json:"fields,omitempty"`
}

// AgentLogsRequest is a batch of log lines.
type AgentLogsRequest struct {
	Entries []AgentLogEntry `json:"entries"`
}

// Accepted counts what a batch endpoint took.
type Accepted struct {
	Accepted int `json:"accepted"`
}

// AgentChatMessage is a chat message handed to a bot to post.
type AgentChatMessage struct {
	ID         int64  `json:"id"`
	Text       string `json:"text"`
	TemplateID *int64 `json:"templateId,omitempty"`
}
