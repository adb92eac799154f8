package trpc

import (
	"encoding/json"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Identity is who presented an X-Milo-Token. The daemon issues one token per
// bot (BotID) or per pool slot (SlotUUID): a slot's container serves
// whichever bot is assigned to it, so only the Backend can tell which bot ids
// a slot token may act for. All marks a shared secret (the single
// MILO_AUTH_TOKEN of the original server) that may act for every bot and
// slot. A zero Identity may act for nothing.
type Identity struct {
	BotID    int64
	SlotUUID string
	All      bool
	// State is whatever the Backend read while authenticating (the bot's
	// row, say). The handler hands it back with every call of the same
	// request, so a Backend can serve them without reading it again.
	State any
}

// BotConfig is what a bot container pulls at start-up. Field order and
// optional markers reproduce the reference server's bytes; StartTime and
// EndTime go out as superjson Dates, which the bots require (a plain string
// crashes their duration monitor).
type BotConfig struct {
	ID               int64          `json:"id"`
	UserID           string         `json:"userId"`
	Meeting          Meeting        `json:"meeting"`
	StartTime        time.Time      `json:"startTime"`
	EndTime          time.Time      `json:"endTime"`
	DisplayName      string         `json:"displayName"`
	ImageURL         *string        `json:"imageUrl" superjson:"optional"`
	RecordingEnabled bool           `json:"recordingEnabled"`
	AutomaticLeave   AutomaticLeave `json:"automaticLeave"`
	CallbackURL      *string        `json:"callbackUrl" superjson:"optional"`
}

// Meeting locates the call. Which fields matter depends on Platform
// ("google-meet": MeetingURL; "microsoft-teams": MeetingID, TenantID,
// OrganizerID; "zoom": MeetingID, MeetingPassword); empty ones are omitted.
type Meeting struct {
	MeetingID       string `json:"meetingId,omitempty"`
	MeetingPassword string `json:"meetingPassword,omitempty"`
	MeetingURL      string `json:"meetingUrl,omitempty"`
	OrganizerID     string `json:"organizerId,omitempty"`
	TenantID        string `json:"tenantId,omitempty"`
	MessageID       string `json:"messageId,omitempty"`
	ThreadID        string `json:"threadId,omitempty"`
	Platform        string `json:"platform,omitempty"`
}

// AutomaticLeave holds the bot's timeouts in milliseconds. The bots only use
// WaitingRoomTimeout, but their config type requires all four.
type AutomaticLeave struct {
	WaitingRoomTimeout  int64 `json:"waitingRoomTimeout"`
	NoOneJoinedTimeout  int64 `json:"noOneJoinedTimeout"`
	EveryoneLeftTimeout int64 `json:"everyoneLeftTimeout"`
	InactivityTimeout   int64 `json:"inactivityTimeout"`
}

// Heartbeat is the answer to a heartbeat. ShouldLeave is the only way to
// make a running bot leave; LogLevel (TRACE…FATAL or nil) sets its console
// level.
type Heartbeat struct {
	ShouldLeave bool    `json:"shouldLeave"`
	LogLevel    *string `json:"logLevel"`
}

// Event is one bots.events.report. Data is nil for events without payload.
type Event struct {
	Type string     `json:"eventType"`
	Time time.Time  `json:"eventTime"`
	Data *EventData `json:"data"`
}

// EventData is an event's optional payload; nil fields were absent.
type EventData struct {
	Description *string `json:"description" superjson:"optional"`
	SubCode     *string `json:"sub_code" superjson:"optional"`
}

// StatusUpdate is one bots.updateStatus. Recording (an S3 key) and
// SpeakerTimeframes only come with the final DONE.
type StatusUpdate struct {
	Status            api.BotStatus      `json:"status"`
	Recording         *string            `json:"recording,omitempty"`
	SpeakerTimeframes []SpeakerTimeframe `json:"speakerTimeframes,omitempty"`
}

// SpeakerTimeframe is a span (milliseconds into the recording) in which one
// participant spoke.
type SpeakerTimeframe struct {
	Start       float64 `json:"start"`
	End         float64 `json:"end"`
	SpeakerName string  `json:"speakerName"`
}

// ChatMessage is a queued chat message handed to the bot.
type ChatMessage struct {
	MessageText string `json:"messageText"`
	TemplateID  *int64 `json:"templateId" superjson:"optional"`
	UserID      string `json:"userId"`
}

// LogEntry is one line a bot streams. ID is a random UUID: the bots re-send
// entries after a failure, so a consumer that cares de-duplicates by it.
// Context is free-form JSON, nil when absent.
type LogEntry struct {
	ID        string          `json:"id"`
	BotID     int64           `json:"botId"`
	Timestamp time.Time       `json:"timestamp"`
	Level     string          `json:"level"`
	Message   string          `json:"message"`
	State     string          `json:"state"`
	Location  string          `json:"location"`
	Context   json.RawMessage `json:"context" superjson:"optional"`
	Elapsed   string          `json:"elapsed"`
}

// ScreenshotUpload is one multipart screenshot upload.
type ScreenshotUpload struct {
	Data        []byte
	Filename    string
	ContentType string
	Type        string // error | fatal | manual | state_change
	State       string // the bot's emitter state, e.g. INITIALIZING, IN_CALL
	Trigger     string // optional free text
}

// ScreenshotInfo describes a stored screenshot; it is the upload's reply.
type ScreenshotInfo struct {
	Key        string
	CapturedAt time.Time
	Type       string
	State      string
	Trigger    string
}
