package api

import "time"

// Event types the control plane writes into a bot's history, beside the
// statuses and what the bot itself reports.
const (
	// EventRouted records an admission's choice of platform, with every
	// candidate it weighed (RoutedEvent).
	EventRouted = "ROUTED"
	// EventWaitingRoom records that a bot waited in the waiting room
	// longer than its lobbyNudgeAfterSeconds (WaitingRoomWebhook).
	EventWaitingRoom = "WAITING_ROOM"
)

// The platform policies (PLATFORM_POLICY): how admission orders the
// platforms that have room for a bot.
const (
	// PolicyPriority tries the platforms in PLATFORM_PRIORITY order.
	PolicyPriority = "priority"
	// PolicyCheapest tries the lowest cost per bot-hour first.
	PolicyCheapest = "cheapest"
	// PolicyFastest tries the lowest observed time from admission to
	// JOINING_CALL (rolling median) for the bot's meeting platform first;
	// platforms not yet observed come after, in priority order.
	PolicyFastest = "fastest"
)

// RoutedEvent is the data of a ROUTED event.
type RoutedEvent struct {
	Policy     string           `json:"policy"`
	Candidates []RouteCandidate `json:"candidates"`
	Chosen     string           `json:"chosen"`
	Reason     string           `json:"reason"`
}

// RouteCandidate is one platform as admission saw it: its configured cost
// per bot-hour, its observed median time from admission to JOINING_CALL
// for the bot's meeting platform (absent before any), its free capacity,
// and whether reservations of scheduled bots left no room for this bot's
// window (ReservedOut).
type RouteCandidate struct {
	Platform       string   `json:"platform"`
	CostPerHour    float64  `json:"costPerHour"`
	LatencySeconds *float64 `json:"latencySeconds,omitempty"`
	Free           int      `json:"free"`
	ReservedOut    bool     `json:"reservedOut,omitempty"`
}

// Reservation is the capacity a scheduled bot holds for its window.
type Reservation struct {
	Platform string    `json:"platform"`
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
}

// WebhookBotWaitingRoom is sent once when a bot has waited in the waiting
// room longer than its lobbyNudgeAfterSeconds, so the host can be nudged.
const WebhookBotWaitingRoom = "bot.waiting_room"

// WaitingRoomWebhook is the body of bot.waiting_room, and the data of the
// WAITING_ROOM event.
type WaitingRoomWebhook struct {
	Type           string            `json:"type"`
	Timestamp      time.Time         `json:"timestamp"`
	BotID          int64             `json:"botId"`
	MeetingURL     string            `json:"meetingUrl"`
	WaitingSince   time.Time         `json:"waitingSince"`
	WaitingSeconds int64             `json:"waitingSeconds"`
	Metadata       map[string]string `json:"metadata"`
}

// CapacityForecast is GET /v1/capacity/forecast: per platform, what is
// booked and running in each step from From to To.
type CapacityForecast struct {
	From        time.Time          `json:"from"`
	To          time.Time          `json:"to"`
	StepSeconds int64              `json:"stepSeconds"`
	Platforms   []ForecastPlatform `json:"platforms"`
}

// ForecastPlatform is one platform's forecast, in admission order.
type ForecastPlatform struct {
	Platform string         `json:"platform"`
	Limit    int            `json:"limit"`
	Steps    []ForecastStep `json:"steps"`
}

// ForecastStep is one step of a forecast: Reserved counts the scheduled
// bots whose reservations overlap the step, Running the bots holding
// capacity now that are expected to still run at its start (by their
// maximum duration), and Free what is left of the limit.
type ForecastStep struct {
	At       time.Time `json:"at"`
	Reserved int       `json:"reserved"`
	Running  int       `json:"running"`
	Free     int       `json:"free"`
}

// AdmissionStats is GET /v1/stats/admission: how your bots fared at the
// door of their meetings, for the bots created from From to To that tried
// to join, overall and per meeting platform and host domain.
type AdmissionStats struct {
	From             time.Time        `json:"from"`
	To               time.Time        `json:"to"`
	Total            AdmissionGroup   `json:"total"`
	MeetingPlatforms []AdmissionGroup `json:"meetingPlatforms"`
	Hosts            []AdmissionGroup `json:"hosts"`
}

// AdmissionGroup is the admission outcome of a group of bots. Shares are
// fractions (0 to 1) of Bots. Waits run from the first IN_WAITING_ROOM to
// IN_CALL, or to the end of a bot never let in (or now, while it waits);
// a bot let in without a waiting room waited 0.
type AdmissionGroup struct {
	Key            string  `json:"key"`
	Bots           int     `json:"bots"`
	Admitted       int     `json:"admitted"`
	AdmittedShare  float64 `json:"admittedShare"`
	TimedOut       int     `json:"timedOut"`
	TimedOutShare  float64 `json:"timedOutShare"`
	Refused        int     `json:"refused"`
	RefusedShare   float64 `json:"refusedShare"`
	Waiting        int     `json:"waiting"`
	WaitP50Seconds float64 `json:"waitP50Seconds"`
	WaitP90Seconds float64 `json:"waitP90Seconds"`
}
