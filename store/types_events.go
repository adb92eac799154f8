package store

import (
	"context"
	"time"
)

// Changes is the feed behind the live streams. Every write a stream shows
// records a change in its own transaction; changes are numbered in commit
// order without gaps, so any daemon can follow every other one by number
// and a client can resume from the last number it saw.
type Changes interface {
	// ReadChanges lists changes after q.After in order.
	ReadChanges(ctx context.Context, q ChangeQuery) ([]Change, error)
	// ChangeBounds reads the newest number handed out and the oldest
	// still kept (0 when none is kept).
	ChangeBounds(ctx context.Context) (ChangeBounds, error)
	// PurgeChanges deletes changes written before the cut-off.
	PurgeChanges(ctx context.Context, before time.Time) (int64, error)
	// ListenChanges calls wake when another daemon commits changes, until
	// ctx ends (nil) or the connection breaks (an error; listen again).
	ListenChanges(ctx context.Context, wake func()) error
	// LiveHeartbeats lists the last heartbeat of each of a user's bots in
	// a status that heartbeats, by bot id.
	LiveHeartbeats(ctx context.Context, userID int64) ([]BotHeartbeat, error)
	// ChangedBots lists the changes of kind ChangeBot after a number, by
	// number and bot only, at most n.
	ChangedBots(ctx context.Context, after int64, n int) ([]BotChange, error)
	// WatchBotWrites calls fn after every commit of this store that
	// wrote bots (their state, token or existence), with their ids.
	WatchBotWrites(fn func(botIDs []int64))
	// WatchOutbox calls fn after every commit of this store that added
	// webhook deliveries.
	WatchOutbox(fn func())
}

// BotChange is a change of kind ChangeBot without its body.
type BotChange struct {
	Seq, BotID int64
}

// Change is one entry of the feed. Exactly one of Bot, Event and Logs is
// set, as Kind says.
type Change struct {
	Seq       int64
	UserID    int64
	BotID     int64
	Kind      string
	Bot       *Bot
	Event     *Event
	Logs      []LogEntry
	CreatedAt time.Time
}

// ChangeQuery selects changes: those after After (and up to Through, when
// set), of one user and bot when set, or of any of UserIDs when that is
// set, at most Limit (at most 500).
type ChangeQuery struct {
	After   int64
	Through int64
	UserID  int64
	BotID   int64
	UserIDs []int64
	Limit   int
}

// ChangeBounds are the ends of the feed: Newest is the last number handed
// out, Oldest the first still kept (0: none kept).
type ChangeBounds struct {
	Oldest, Newest int64
}

// BotHeartbeat is when a bot last heartbeat.
type BotHeartbeat struct {
	BotID int64
	At    time.Time
}

// WebhookEndpoints manages the receivers users register. Every method but
// GetWebhookEndpoint with userID 0 is scoped to the owner: another user's
// endpoint is ErrNotFound.
type WebhookEndpoints interface {
	CreateWebhookEndpoint(ctx context.Context, p NewWebhookEndpoint) (WebhookEndpoint, error)
	// GetWebhookEndpoint reads an endpoint of userID, or any endpoint
	// when userID is 0 (for the deliverer).
	GetWebhookEndpoint(ctx context.Context, userID, id int64) (WebhookEndpoint, error)
	// ListWebhookEndpoints pages a user's endpoints by id descending.
	ListWebhookEndpoints(ctx context.Context, userID int64, p Page) ([]WebhookEndpoint, error)
	// UpdateWebhookEndpoint changes the fields set; Enable turns a
	// disabled endpoint back on.
	UpdateWebhookEndpoint(ctx context.Context, userID, id int64, p WebhookEndpointPatch) (WebhookEndpoint, error)
	// DeleteWebhookEndpoint removes an endpoint with its deliveries.
	DeleteWebhookEndpoint(ctx context.Context, userID, id int64) error
	// RotateWebhookSecret makes p.Secret the endpoint's secret; the one it
	// replaces keeps signing until p.PreviousUntil.
	RotateWebhookSecret(ctx context.Context, p RotateWebhookSecretParams) (WebhookEndpoint, error)
}

// WebhookEndpoint is a receiver of a user's webhooks. Secret and
// PreviousSecret are sealed (encrypted by the daemon); the store never
// sees them in plaintext.
type WebhookEndpoint struct {
	ID             int64
	UserID         int64
	URL            string
	Description    string
	EventTypes     []string // empty: every type
	Secret         string
	PreviousSecret string     // "" when none
	PreviousUntil  *time.Time // PreviousSecret signs until then
	FailingSince   *time.Time // first failure since the last success
	DisabledAt     *time.Time
	DisabledReason string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Wants reports whether the endpoint takes events of type t.
func (e WebhookEndpoint) Wants(t string) bool {
	if len(e.EventTypes) == 0 {
		return true
	}
	for _, want := range e.EventTypes {
		if want == t {
			return true
		}
	}
	return false
}

// NewWebhookEndpoint is the input of CreateWebhookEndpoint.
type NewWebhookEndpoint struct {
	UserID      int64
	URL         string
	Description string
	EventTypes  []string
	Secret      string // sealed
	Now         time.Time
}

// WebhookEndpointPatch changes the fields that are set.
type WebhookEndpointPatch struct {
	URL         *string
	Description *string
	EventTypes  *[]string
	Enable      bool // clear DisabledAt and FailingSince
	Now         time.Time
}

// RotateWebhookSecretParams is the input of RotateWebhookSecret.
type RotateWebhookSecretParams struct {
	UserID, ID    int64
	Secret        string // sealed
	PreviousUntil time.Time
	Now           time.Time
}

// AttemptResult is what recording an attempt did: the delivery as
// stored, and the endpoint when the attempt disabled it.
type AttemptResult struct {
	Delivery WebhookDelivery
	Disabled *WebhookEndpoint
}

// DeployFailure is one failed platform call of a deploy.
type DeployFailure struct {
	BotID      int64
	Platform   string
	Error      string
	FailedOver bool // the bot goes on to another platform (or the queue)
	// Details is what the platform said beyond its error's text (ECS
	// failures[]), recorded with the event when set.
	Details any
	// Holder, when set, must still hold the bot's deploy claim, or nothing
	// is recorded (ErrConflict): the failure is then another deployer's
	// business.
	Holder string
	Now    time.Time
}

// Stats reads the whole fleet's counts, for metrics.
type Stats interface {
	FleetStats(ctx context.Context) (FleetStats, error)
}

// FleetStats are the fleet's counts at one moment.
type FleetStats struct {
	Bots       []BotCount  // by status and platform ("" before admission)
	Slots      []SlotCount // pool slots by platform and status
	QueueDepth int
	// OutboxDue counts webhook deliveries not yet delivered nor given up.
	OutboxDue int
	Endpoints struct {
		Active, Failing, Disabled int
	}
}

// BotCount is how many bots are in one status on one platform.
type BotCount struct {
	Status   string
	Platform string
	N        int
}

// SlotCount is how many pool slots of one platform are in one status.
type SlotCount struct {
	Platform string
	Status   string
	N        int
}
