// Package store is meeboter's storage contract and its two engines: SQLite
// (local mode) and PostgreSQL (production). Everything above this package
// speaks in domain terms and store errors; no driver type leaks out.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Errors returned by every engine. Driver errors are translated into these at
// the store boundary.
var (
	// ErrNotFound: the row does not exist, or is not the caller's. Callers
	// answer 404 either way, so another owner's rows are never revealed.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique or foreign key constraint refused the write, or
	// the row is not in a state that allows the change (a guarded update
	// matched nothing). Callers answer 409.
	ErrConflict = errors.New("store: conflict")
	// ErrQuotaExceeded: CreateBot found the owner's daily limit reached.
	ErrQuotaExceeded = errors.New("store: daily bot limit reached")
	// ErrUnavailable: the database cannot be reached or cannot answer right
	// now (connection refused or lost, server shutting down, SQLite busy
	// or closed). Nothing is known about the data; callers answer 503 with
	// Retry-After, never "not found" or "unauthorized", and bots retry.
	ErrUnavailable = errors.New("store: database unavailable")
	// ErrWaitTimeout: AcquireDeployTurn waited longer than its WaitFor;
	// the entry was dropped. The deploy failed for want of a turn.
	ErrWaitTimeout = errors.New("store: waited too long for a deploy turn")
	// ErrSchemaTooNew: the database was migrated by a newer meeboter. Run
	// the newer binary, or restore a backup; never downgrade in place.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this binary")
)

// Store is the storage contract. Methods that hand out capacity, slots or
// queue positions are atomic on their own: each runs in one transaction
// that serialises with every other such method, across processes.
type Store interface {
	Users
	Plans
	Keys
	Bots
	Admission
	Agent
	Chat
	Pool
	DeployLocks
	Usage
	Maintenance
	Webhooks
	Console
	WebhookEndpoints
	Changes
	Stats
	LogArchive
	Reservations
	Lobby
	RoutingStats

	// InTx runs fn in one transaction; fn's Store is bound to it. The
	// transaction rolls back when fn returns an error or panics. Inside fn
	// use only fn's Store: on SQLite the outer one waits for the single
	// connection the transaction holds. Nested InTx calls join the outer
	// transaction.
	InTx(ctx context.Context, fn func(Store) error) error
	// Engine names the engine: "sqlite" or "postgres".
	Engine() string
	// Close releases the connections.
	Close() error
}

// Users manages accounts and plans.
type Users interface {
	CreateUser(ctx context.Context, p NewUser) (User, error)
	GetUser(ctx context.Context, id int64) (User, error)
	// ListUsers pages by id ascending, after AfterID.
	ListUsers(ctx context.Context, p Page) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	SetCustomDailyLimit(ctx context.Context, userID int64, limit *int) error
	CreateSubscription(ctx context.Context, s Subscription) (Subscription, error)
	// ActiveSubscription returns the newest active subscription covering
	// now, or ErrNotFound (the user is then on the free plan).
	ActiveSubscription(ctx context.Context, userID int64, now time.Time) (Subscription, error)
}

// Plans manages plans and what each user may run.
type Plans interface {
	// CreatePlan inserts a plan; a taken name is ErrConflict.
	CreatePlan(ctx context.Context, p Plan) (Plan, error)
	GetPlan(ctx context.Context, name string) (Plan, error)
	ListPlans(ctx context.Context) ([]Plan, error)
	// SetUserPlan puts a user on a plan (nil: back to their subscription's).
	// An unknown plan is ErrConflict, an unknown user ErrNotFound.
	SetUserPlan(ctx context.Context, userID int64, plan *string) error
	// SetUserLimits changes a user's own limits.
	SetUserLimits(ctx context.Context, userID int64, p UserLimitsPatch) error
	// UserLimits resolves the user's plan and limits at now, as admission
	// applies them.
	UserLimits(ctx context.Context, userID int64, now time.Time) (Limits, error)
	// RunningBots counts the user's bots holding capacity.
	RunningBots(ctx context.Context, userID int64) (int, error)
}

// Keys manages API keys and the request log.
type Keys interface {
	CreateAPIKey(ctx context.Context, p NewAPIKey) (APIKey, error)
	// Authenticate finds the live key with this hash (not revoked, not
	// expired at now) and its user; ErrNotFound otherwise.
	Authenticate(ctx context.Context, hash string, now time.Time) (APIKey, User, error)
	// KeyLive answers nil while the key is live, else ErrNotFound; for
	// connections that outlive the request that authenticated them.
	KeyLive(ctx context.Context, keyID int64, now time.Time) error
	// ListAPIKeys pages a user's keys by id descending (newest first).
	ListAPIKeys(ctx context.Context, userID int64, p Page) ([]APIKey, error)
	RevokeAPIKey(ctx context.Context, userID, keyID int64, now time.Time) (APIKey, error)
	// RevokeUserKeys revokes every live key of a user and returns how many.
	RevokeUserKeys(ctx context.Context, userID int64, now time.Time) (int, error)
	// TouchAPIKeys sets last_used_at for many keys in one statement batch.
	TouchAPIKeys(ctx context.Context, lastUsed map[int64]time.Time) error
	// InsertRequestLogs writes a batch of request log rows.
	InsertRequestLogs(ctx context.Context, logs []APIRequestLog) error
	// ListRequestLogs pages a user's log by id descending; KeyID narrows it
	// to one key.
	ListRequestLogs(ctx context.Context, userID int64, keyID *int64, p Page) ([]APIRequestLog, error)
	// ClaimIdempotencyKey takes an Idempotency-Key for one request before
	// it runs; of concurrent requests with one key exactly one claims it.
	ClaimIdempotencyKey(ctx context.Context, p IdempotencyClaim) (IdempotencyState, error)
	// CompleteIdempotencyKey stores the answer of the claim named token.
	CompleteIdempotencyKey(ctx context.Context, r IdempotentResponse, token string) error
	// ReleaseIdempotencyKey drops the claim named token, unanswered.
	ReleaseIdempotencyKey(ctx context.Context, userID int64, key, token string) error
}

// Bots manages bots and their events.
type Bots interface {
	// CreateBot inserts a bot in status p.Bot.Status (SCHEDULED or QUEUED
	// before admission). When DailyLimit is set, it counts the owner's bots
	// created in [DayStart, DayStart+24h) in the same transaction and
	// returns ErrQuotaExceeded at the limit, so parallel creates cannot
	// overshoot it.
	CreateBot(ctx context.Context, p NewBot) (Bot, error)
	// GetBot reads any bot; for the daemon's own use.
	GetBot(ctx context.Context, id int64) (Bot, error)
	// GetUserBot reads a bot only if userID owns it; ErrNotFound otherwise.
	GetUserBot(ctx context.Context, userID, id int64) (Bot, error)
	// ListBots pages by id descending (newest first), before BeforeID.
	ListBots(ctx context.Context, f BotFilter) ([]Bot, error)
	// UpdateBot changes a bot not yet deployed (SCHEDULED or QUEUED) and
	// owned by userID; ErrConflict once it is deployed.
	UpdateBot(ctx context.Context, userID, id int64, p BotPatch) (Bot, error)
	// DeleteBot removes an owned bot that is terminal, SCHEDULED or QUEUED,
	// with its events, logs, chat, screenshots and queue row; ErrConflict
	// while it runs.
	DeleteBot(ctx context.Context, userID, id int64) error
	// Transition moves a bot to p.To if the transition table allows it from
	// the bot's current status (and, when From is set, only from those),
	// writing p.Event in the same transaction. It returns ErrConflict when
	// the bot's status does not allow it. A terminal transition records the
	// reason, ends the bot, drops its queue row and frees its pool slot.
	// Every actual change of status enqueues the bot's webhooks (see
	// Webhooks) and records a change for the live streams.
	Transition(ctx context.Context, p TransitionParams) (Bot, error)
	SetLogLevel(ctx context.Context, userID, id int64, level string) error
	InsertEvents(ctx context.Context, events []Event) error
	// ListEvents pages a bot's events by id ascending, after AfterID.
	ListEvents(ctx context.Context, botID int64, p Page) ([]Event, error)
	// StatusCounts counts bots by status; userID 0 counts every user's.
	StatusCounts(ctx context.Context, userID int64) (map[api.BotStatus]int, error)
	// FindBots is for the workers: bots in one of Statuses, optionally on
	// one platform, whose heartbeat (or deploy start, or join_at) is older
	// than the given times, by id ascending (Limit 0 means 1000).
	FindBots(ctx context.Context, q BotQuery) ([]Bot, error)
}

// Admission hands out capacity and queue positions. Every method here takes
// one lock (an advisory lock on PostgreSQL, the single writer on SQLite), so
// concurrent admissions from any number of daemons never overshoot a limit.
type Admission interface {
	// Admit tries each platform of p.Platforms in order and takes capacity
	// on the first whose live bots number fewer than its limit (skipping
	// names in p.Exclude): the bot becomes DEPLOYING on that platform. On
	// a pooled platform (PlatformLimit.Pool) the bot also needs a slot of
	// its meeting platform: the least recently used IDLE one nobody leases (slots with
	// an application first), else a new slot row, numbered with the
	// smallest free number, while fewer than Pool.Max slots exist; the
	// slot is DEPLOYING, assigned to the bot, and the bot records it. A
	// bot leaving a slot it held (failing over) releases it. When
	// none has room the bot becomes QUEUED (once; a queued bot keeps its
	// place) with timeout p.Now+bot.QueueTimeout. Only SCHEDULED, QUEUED or
	// DEPLOYING-without-resource bots are admitted; others give ErrConflict.
	Admit(ctx context.Context, p AdmitParams) (AdmitResult, error)
	// CreateAndAdmit stores and admits each new bot (CreateBot, then
	// Admit with the bot as Created) in one transaction under the
	// admission lock: one commit for a group of creates. Each has a
	// savepoint of its own, so one refused (a duplicate, a quota, a cap,
	// any error) leaves nothing behind and the others stand; its
	// CreateAdmitted.Err says why. The error is the group's: nothing was
	// stored. Admissions of one group share the admission time. written,
	// when not nil, is called once the group's statements are done and
	// before its commit (which may still fail), so the next group can
	// start and wait for the lock while this one commits.
	CreateAndAdmit(ctx context.Context, items []CreateAdmit, written func()) ([]CreateAdmitted, error)
	// AdmitQueued admits queue heads, FIFO within priority, while any
	// platform has room, and returns the bots it moved to DEPLOYING.
	AdmitQueued(ctx context.Context, p AdmitQueuedParams) ([]Bot, error)
	// EndAndAdmit makes a terminal Transition and admits the queue (as
	// AdmitQueued with q) in the same transaction: what the ended bot
	// freed goes to the next in one commit. It returns the ended bot and
	// the bots admitted.
	EndAndAdmit(ctx context.Context, p TransitionParams, q AdmitQueuedParams) (Bot, []Bot, error)
	// ExpireQueue ends FATAL/queue_timeout every queued bot whose timeout
	// has passed and returns them.
	ExpireQueue(ctx context.Context, now time.Time) ([]Bot, error)
	// ListQueue lists the queue in admission order with positions; userID 0
	// lists every user's entries (positions are always global).
	ListQueue(ctx context.Context, userID int64) ([]QueueEntry, error)
	// QueueForecast reads the bots holding capacity and the queued ones,
	// in admission order, as a queue-wait forecast needs them.
	QueueForecast(ctx context.Context) (holding, queued []PlannedRun, err error)
	// CapacityUsed counts bots holding capacity, per platform.
	CapacityUsed(ctx context.Context) (map[string]int, error)
	// ClaimDeploys hands DEPLOYING bots that have no resource yet, and no
	// live claim, to one deployer for p.LeaseFor. A bot is never handed to
	// two deployers at once. A bot no deployer held before, and not on a
	// pool slot, stores the next of p.TokenHashes as its agent token's
	// hash, in the same statement.
	ClaimDeploys(ctx context.Context, p ClaimDeploysParams) ([]ClaimedBot, error)
	// SetDeployed stores the resource identifier of a claimed bot and ends
	// the claim. The bot may already have reported from inside the platform,
	// so any status holding capacity on that platform is accepted.
	// ErrConflict when it no longer holds capacity there (ended or cancelled
	// meanwhile); the caller then stops the resource.
	SetDeployed(ctx context.Context, p DeployedParams) error
	// ReleaseDeployClaim ends a claim without a resource (the deploy
	// failed), so the bot can be re-admitted on another platform. With a
	// holder it ends only that holder's claim: a deployer that lost its
	// claim must not end the next one's.
	ReleaseDeployClaim(ctx context.Context, botID int64, holder string) error
	// RenewDeployClaim extends the holder's claim on a bot still waiting
	// for its resource, for a deploy that may outlast one lease (a pool
	// slot's image pull and deploy turn). ErrConflict when the claim is
	// another's now or the bot moved on; ErrNotFound when it is gone.
	RenewDeployClaim(ctx context.Context, p RenewDeployClaimParams) error
	// RecordDeployFailure ends the claim of a bot whose platform call
	// failed, with a DEPLOY_FAILED event and its bot.deploy_failed
	// webhooks, in one transaction.
	RecordDeployFailure(ctx context.Context, f DeployFailure) error
	// RunTimes gives, per meeting platform, the median and 90th
	// percentile of the run time (deploy start to end) of the last n ended
	// bots that ran; for queue wait estimates and reservations.
	RunTimes(ctx context.Context, n int) (map[string]RunTimeStats, error)
}

// Agent serves the bot-facing API.
type Agent interface {
	// SetBotToken stores the hash of a bot's agent token.
	SetBotToken(ctx context.Context, botID int64, hash string) error
	// BotStateByToken reads the few columns the bot-facing calls need of
	// the bot whose agent token has this hash; ErrNotFound when none has.
	BotStateByToken(ctx context.Context, hash string) (BotState, error)
	// BotState reads the same columns of the bot with this id.
	BotState(ctx context.Context, id int64) (BotState, error)
	// RecordHeartbeats sets last_heartbeat for many bots in one batch.
	RecordHeartbeats(ctx context.Context, beats map[int64]time.Time) error
	// InsertLogs writes log entries, ignoring an entry whose (BotID,
	// EntryID) is already stored.
	InsertLogs(ctx context.Context, entries []LogEntry) error
	// ListLogs pages a bot's log by id ascending, after AfterID.
	ListLogs(ctx context.Context, botID int64, p Page) ([]LogEntry, error)
	// LatestLogs returns the last n lines of a bot's log, oldest first.
	LatestLogs(ctx context.Context, botID int64, n int) ([]LogEntry, error)
	InsertScreenshot(ctx context.Context, s Screenshot) (Screenshot, error)
	ListScreenshots(ctx context.Context, botID int64, p Page) ([]Screenshot, error)
}

// LogArchive serves the log archiver and retention: the database holds a
// bot's recent log lines (the hot tier) until they are archived to blob
// storage, and an ended bot's lines and screenshots until retention
// removes them.
type LogArchive interface {
	// LogBacklog lists bots with log rows due for the archive.
	LogBacklog(ctx context.Context, q LogBacklogQuery) ([]LogBacklog, error)
	// LogsToArchive returns a bot's first n log rows by id.
	LogsToArchive(ctx context.Context, botID int64, n int) ([]LogEntry, error)
	// DeleteLogs deletes exactly the listed rows of a bot, once their
	// chunk is written, and returns how many went.
	DeleteLogs(ctx context.Context, botID int64, ids []int64) (int64, error)
	// PurgeDue lists ended bots that retention of a kind has not visited.
	PurgeDue(ctx context.Context, q PurgeQuery) ([]int64, error)
	// PurgeBot deletes a bot's rows of a kind and records the purge.
	PurgeBot(ctx context.Context, botID int64, kind string, now time.Time) error
}

// Chat manages chat templates and the per-bot message queue.
type Chat interface {
	CreateTemplate(ctx context.Context, t Template) (Template, error)
	GetTemplate(ctx context.Context, userID, id int64) (Template, error)
	// ListTemplates pages a user's templates by id descending (newest
	// first), before BeforeID.
	ListTemplates(ctx context.Context, userID int64, p Page) ([]Template, error)
	UpdateTemplate(ctx context.Context, t Template) (Template, error)
	DeleteTemplate(ctx context.Context, userID, id int64) error
	EnqueueChat(ctx context.Context, msgs []ChatMessage) ([]ChatMessage, error)
	// DequeueChat atomically takes the oldest queued message of a bot and
	// marks it sent; ErrNotFound when none is queued. Two callers never get
	// the same message, and a lost race takes the next one instead.
	DequeueChat(ctx context.Context, botID int64, now time.Time) (ChatMessage, error)
	// ListChat pages a bot's messages by id ascending, after AfterID.
	ListChat(ctx context.Context, botID int64, p Page) ([]ChatMessage, error)
}

// Pool manages the reusable container slots of pooled platforms (the
// Coolify pool). Admission hands slots to bots (see Admit); these methods
// are the rest of a slot's life. A slot moves along one state machine:
//
//	(created by Admit)  -> DEPLOYING
//	IDLE                -> DEPLOYING   Admit gives it to a bot
//	DEPLOYING           -> HEALTHY     its deployment finished
//	DEPLOYING, HEALTHY  -> ERROR       the deployment failed, the app broke
//	DEPLOYING, HEALTHY  -> RELEASING   its bot ended or left (Transition, Admit)
//	RELEASING           -> ERROR       stopping the application failed
//	RELEASING, ERROR    -> IDLE        the daemon saw the application exited
//
// A slot whose bot ended is unassigned at once, but stays RELEASING, so
// nobody can take it, until the daemon has stopped its application and
// seen it exited: Coolify restarts containers that exit, and a container
// of the old bot must not be running when the next bot's starts.
type Pool interface {
	// CreatePoolSlot stores a slot as given (Status defaults to IDLE), for
	// operators and tests; admission creates slots itself, under the pool
	// maximum. A taken name, number or application uuid is ErrConflict.
	CreatePoolSlot(ctx context.Context, s PoolSlot) (PoolSlot, error)
	GetPoolSlot(ctx context.Context, id int64) (PoolSlot, error)
	// PoolSlotByApp finds the slot of an application uuid (what a slot's
	// container asks with, POOL_SLOT_UUID).
	PoolSlotByApp(ctx context.Context, appUUID string) (PoolSlot, error)
	// PoolSlotByToken finds the slot whose agent token has this hash.
	PoolSlotByToken(ctx context.Context, hash string) (PoolSlot, error)
	// ListPoolSlots lists the slots of one platform, or of all with "", by
	// id.
	ListPoolSlots(ctx context.Context, platform string) ([]PoolSlot, error)
	// LeasePoolSlots leases slots in p.Statuses that have no live lease
	// (or whose lease is p.Holder's: that renews it) to p.Holder until
	// p.Now+p.LeaseFor, least recently changed first. A slot is never
	// leased to two holders at once.
	LeasePoolSlots(ctx context.Context, p LeasePoolSlotsParams) ([]PoolSlot, error)
	// ReleasePoolSlotLease ends p.Holder's lease without a change.
	ReleasePoolSlotLease(ctx context.Context, id int64, holder string) error
	// SetPoolSlotApp records the slot's application and agent token, under
	// p.Holder's lease; an empty AppUUID forgets the application (it
	// vanished) so the next deploy makes a new one.
	SetPoolSlotApp(ctx context.Context, p SetPoolSlotAppParams) (PoolSlot, error)
	// UpdatePoolSlot moves a slot along the state machine: under p.Holder's
	// lease when Holder is set, else only while nobody leases it. The move
	// ends the lease. ErrConflict when the slot's status does not allow it
	// or the lease is another's; ErrNotFound when the slot is gone.
	UpdatePoolSlot(ctx context.Context, p UpdatePoolSlotParams) (PoolSlot, error)
	// DeletePoolSlot removes a slot that no bot holds (ErrConflict while
	// one does: end the bot first).
	DeletePoolSlot(ctx context.Context, id int64) error
	// AddPoolSlots creates up to p.Count IDLE slots without applications
	// for p.MeetingPlatform, fewer when the pool would exceed p.Pool.Max
	// (counted under the admission lock, as Admit counts), and returns
	// those it made.
	AddPoolSlots(ctx context.Context, p AddPoolSlotsParams) ([]PoolSlot, error)
}

// DeployLocks are the two locks around a pooled platform's deploys, held
// in the database so that every daemon sharing it honours them, and held
// as leases so that a daemon that dies loses what it held. A holder names
// one deploy (the daemon's instance and the slot, say), not a daemon: a
// daemon running several deploys at once would otherwise be one holder,
// and all of them would pull.
type DeployLocks interface {
	// TryImagePull decides who pulls an image (p.Key names a server and an
	// image): PullDone when it was pulled already (deploy at once),
	// PullMine when the caller now holds the pull (deploy, then
	// FinishImagePull), PullBusy when another holder is pulling (wait and
	// try again; its lease bounds the wait). Calling again as the holder
	// renews the lease.
	TryImagePull(ctx context.Context, p ImagePullParams) (ImagePull, error)
	// FinishImagePull ends the holder's pull: Pulled records the image as
	// on the server, so every later deploy skips the lock; otherwise the
	// next caller pulls. ErrConflict when the lease was lost meanwhile.
	FinishImagePull(ctx context.Context, p FinishImagePullParams) error
	// ForgetImagePull drops what is known of a key (the server was
	// rebuilt, or the image went missing): the next deploy pulls again.
	ForgetImagePull(ctx context.Context, key string) error
	// AcquireDeployTurn queues p.Entry for one of p.Max turns of p.Scope,
	// FIFO, and grants it when every earlier entry has been granted and a
	// turn is free. Call it again to learn the outcome and to renew the
	// entry's lease, while waiting and while deploying; an entry not
	// renewed within LeaseFor is dropped. An entry still waiting WaitFor
	// after it was first queued is dropped with ErrWaitTimeout.
	AcquireDeployTurn(ctx context.Context, p DeployTurnParams) (DeployTurn, error)
	// ReleaseDeployTurn gives a turn (or a place in the queue) back; a
	// entry already gone is no error.
	ReleaseDeployTurn(ctx context.Context, scope, entry, holder string) error
	// ListDeployTurns lists a scope's entries in queue order.
	ListDeployTurns(ctx context.Context, scope string) ([]DeployTurn, error)
}

// Usage reads what users consumed.
type Usage interface {
	// CountBotsCreated counts a user's bots created in [from, to).
	CountBotsCreated(ctx context.Context, userID int64, from, to time.Time) (int, error)
	// BotSpans returns the spans of a user's bots created in [from, to) or
	// running during it, for bucketing into days in the caller's zone.
	BotSpans(ctx context.Context, userID int64, from, to time.Time) ([]BotSpan, error)
}

// Webhooks is the outbox. The writes that cause events fill it in their
// own transaction: every status change of a bot enqueues one delivery of
// each of its events (bot.status_changed, and bot.queued, bot.ended or
// bot.recording_ready when they apply) to the bot's callback URL and to
// each of its owner's enabled endpoints that takes the type. Daemons claim
// due deliveries, attempt them outside any transaction and record each
// outcome.
type Webhooks interface {
	// EnqueueWebhook inserts a delivery due at once.
	EnqueueWebhook(ctx context.Context, d NewWebhookDelivery) (WebhookDelivery, error)
	// ClaimWebhooks hands due deliveries (next attempt at or before p.Now)
	// that have no live claim to p.Holder for p.LeaseFor, oldest due
	// first. A delivery is never handed to two holders at once, nor
	// before an earlier delivery of its sequence (one bot to one target)
	// has been delivered or given up.
	ClaimWebhooks(ctx context.Context, p ClaimWebhooksParams) ([]WebhookDelivery, error)
	// RecordWebhookAttempt counts one attempt of a delivery claimed by
	// a.Holder and ends the claim: delivered, due again at
	// a.NextAttemptAt, or given up when that is nil. It keeps the
	// endpoint's failure clock, and disables an endpoint that a.Disable
	// names or that has failed for a.DisableAfter, giving up its due
	// deliveries and telling the owner's other endpoints. ErrConflict
	// when the claim was lost meanwhile; ErrNotFound when the delivery is
	// gone.
	RecordWebhookAttempt(ctx context.Context, a WebhookAttempt) (AttemptResult, error)
	// ListWebhookDeliveries lists a bot's deliveries by id ascending.
	ListWebhookDeliveries(ctx context.Context, botID int64) ([]WebhookDelivery, error)
	// ListEndpointDeliveries pages an endpoint's deliveries by id
	// descending (newest first); another user's endpoint is ErrNotFound.
	ListEndpointDeliveries(ctx context.Context, userID, endpointID int64, p Page) ([]WebhookDelivery, error)
	// ResendWebhook enqueues a delivery of userID's again, due at once,
	// with the same message id and payload; ErrNotFound for another
	// user's delivery, ErrConflict when its endpoint is disabled.
	ResendWebhook(ctx context.Context, userID, deliveryID int64, now time.Time) (WebhookDelivery, error)
}

// Console holds the web console's one-time sign-in links and its
// sessions. Both belong to the API key that made them and live only while
// it does: a revoked or expired key ends its sessions and voids its links.
// Only SHA-256 hashes of their secrets are stored.
type Console interface {
	CreateConsoleLink(ctx context.Context, p NewConsoleLink) error
	// RedeemConsoleLink uses up the link with p.LinkHash, if it is unused,
	// unexpired at p.Now and its key is live, and starts a session of that
	// key in the same transaction. Of concurrent redeemers of one link at
	// most one succeeds; the others, and every later one, get ErrNotFound.
	RedeemConsoleLink(ctx context.Context, p RedeemConsoleLink) (ConsoleSession, error)
	// CreateConsoleSession starts a session of a key; an unknown key is
	// ErrConflict.
	CreateConsoleSession(ctx context.Context, p NewConsoleSession) (ConsoleSession, error)
	// LiveConsoleSession finds the session with q.Hash if it is live: not
	// expired at q.Now, seen after q.IdleSince, and its key neither revoked
	// nor expired. It returns the key and its user too; ErrNotFound when
	// there is no such live session.
	LiveConsoleSession(ctx context.Context, q ConsoleSessionQuery) (ConsoleSession, APIKey, User, error)
	// TouchConsoleSession records that a session was used at now, unless
	// it was already seen after since: one write a while, not per request.
	TouchConsoleSession(ctx context.Context, id int64, now, since time.Time) error
	// DeleteConsoleSession ends the session with this hash; ending one
	// that does not exist is no error, so signing out twice is harmless.
	DeleteConsoleSession(ctx context.Context, hash string) error
}

// Maintenance holds leader election and retention.
type Maintenance interface {
	// TryLead takes or renews the lease called name for holder until
	// now+ttl, if it is free, expired or already holder's.
	TryLead(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
	// Resign gives up holder's lease, if held.
	Resign(ctx context.Context, name, holder string) error
	// PurgeOlderThan deletes request logs and idempotency records older
	// than before, and console sessions and links that expired before it,
	// returning how many rows went.
	PurgeOlderThan(ctx context.Context, before time.Time) (int64, error)
}

// Page bounds a listing: AfterID (ascending listings) or BeforeID
// (descending listings) is the cursor, Limit the page size.
type Page struct {
	AfterID  int64
	BeforeID int64
	Limit    int
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email string
	Name  string
	Role  Role
	Now   time.Time
}

// NewAPIKey is the input of CreateAPIKey; Hash is the hex SHA-256 of the
// secret, which is never stored.
type NewAPIKey struct {
	UserID    int64
	Name      string
	Prefix    string
	Hash      string
	ExpiresAt *time.Time
	Now       time.Time
	// MaxConcurrentBots is the key's own concurrency cap (nil: none).
	MaxConcurrentBots *int
}

// NewBot is the input of CreateBot.
type NewBot struct {
	Bot        Bot
	DailyLimit *int
	DayStart   time.Time
	Now        time.Time
	// Reserve books capacity for a scheduled bot in the same transaction
	// (see ReserveParams); nil books none.
	Reserve *ReserveParams
	// LobbyNudgeAfter is how long the bot may wait in the waiting room
	// before bot.waiting_room is sent; 0 keeps the default (60 s).
	LobbyNudgeAfter time.Duration
	// APIKeyID is the key the bot is made with (0: none), whose own
	// concurrency cap then applies to it.
	APIKeyID int64
	// DedupKey names the meeting for duplicate refusal: the request's
	// deduplicationKey, or the meeting URL in a normal form.
	DedupKey string
	// DedupWindow, when positive, refuses the bot with a DuplicateError
	// while a live bot of the owner with the same DedupKey was created
	// within it.
	DedupWindow time.Duration
	// RefuseOverCap refuses the bot with a ConcurrencyLimitError when its
	// owner or key is at its concurrency cap already (admission decides
	// for good; this spares a bot that could only be refused there).
	RefuseOverCap bool
}

// BotFilter selects bots for ListBots.
type BotFilter struct {
	UserID          int64 // required
	Statuses        []api.BotStatus
	MeetingPlatform string
	CreatedFrom     *time.Time
	CreatedTo       *time.Time
	Metadata        map[string]string // every pair must match
	BeforeID        int64
	Limit           int
}

// BotPatch changes the fields that are set.
type BotPatch struct {
	DisplayName    *string
	ImageURL       *string
	JoinAt         **time.Time // set to a nil *time.Time to join at once
	AutomaticLeave *AutomaticLeave
	CallbackURL    *string
	Metadata       map[string]string
	MaxDuration    *time.Duration
	Now            time.Time
	// Rebook, when set, replaces the bot's reservation by one for its new
	// window, in the same transaction (the write fails with a
	// *CapacityUnavailableError when none fits, unless BestEffort); a
	// patch that moves JoinAt or MaxDuration without it drops the
	// reservation.
	Rebook *ReserveParams
}

// TransitionParams is the input of Transition.
type TransitionParams struct {
	BotID  int64
	To     api.BotStatus
	From   []api.BotStatus // optional extra guard
	Reason string          // required for DONE and FATAL
	// SubCode is the bot's own code for the change, sent with
	// bot.status_changed; terminal changes default it to Reason.
	SubCode string
	Detail  string
	// Recording and SpeakerTimeframes are stored with DONE when given.
	RecordingKey      string
	SpeakerTimeframes json.RawMessage
	Event             *Event // written in the same transaction when set
	Now               time.Time
}

// BotQuery selects bots for the workers.
type BotQuery struct {
	Statuses []api.BotStatus
	Platform string
	// HeartbeatBefore matches bots whose last heartbeat (or, before the
	// first one, deploy start) is older.
	HeartbeatBefore *time.Time
	DeployBefore    *time.Time // deploy started before
	JoinAtBefore    *time.Time // join_at at or before, or no join_at (due at once)
	// UpdatedBefore matches bots whose row last changed before it: for a
	// LEAVING bot, when the leave was requested.
	UpdatedBefore *time.Time
	DeployedBy    []string // deployed by one of these daemons ("": none recorded)
	IDs           []int64  // only these bots
	AfterID       int64    // the page after this id, for sweeps that page
	Limit         int
}

// DeployedParams is the input of SetDeployed.
type DeployedParams struct {
	BotID      int64
	Platform   string
	PlatformID string
	DeployedBy string
	// Holder, when set, must still hold the bot's deploy claim: a deployer
	// whose claim another took does not record its resource over theirs.
	Holder string
	Now    time.Time
}

// RenewDeployClaimParams is the input of RenewDeployClaim.
type RenewDeployClaimParams struct {
	BotID    int64
	Holder   string
	Now      time.Time
	LeaseFor time.Duration
}

// AdmitParams is the input of Admit.
type AdmitParams struct {
	BotID     int64
	Platforms []PlatformLimit
	Exclude   []string
	// RunTime is the run time the bot.queued wait estimate assumes when
	// no bot has ended yet.
	RunTime time.Duration
	Now     time.Time
	// Routing orders the platforms with room; the zero value keeps
	// Platforms' order.
	Routing Routing
	// RefuseOverCap deletes a SCHEDULED bot (one just created) that its
	// owner's or key's concurrency cap keeps from capacity, and answers
	// AdmitResult.Refused, instead of queueing it.
	RefuseOverCap bool
	// Created is the bot as CreateBot returned it earlier in the same
	// transaction (see InTx), which the admission then need not read.
	Created *Bot
}

// CreateAdmit is one bot of a CreateAndAdmit group: its create, and its
// admission (whose BotID and Created the store fills in).
type CreateAdmit struct {
	New   NewBot
	Admit AdmitParams
}

// CreateAdmitted is what became of one CreateAdmit. With Err set nothing
// of it was stored; AdmitFailed says Err came from the admission, after
// the create succeeded (Bot is then the bot as created, rolled back).
type CreateAdmitted struct {
	Bot         Bot
	Result      AdmitResult
	Err         error
	AdmitFailed bool
}

// AdmitResult is the outcome of Admit: Platform is set when the bot was
// admitted, Position when it was queued. From is the bot's status before.
type AdmitResult struct {
	Bot      Bot
	From     api.BotStatus
	Platform string
	Queued   bool
	Position int
	// Roomy says a queued bot was queued although a platform had room for
	// it (bots ahead of it, or its owner's cap): admitting the queue may
	// then move it, or those ahead. A bot queued for want of room has
	// nothing to gain from that.
	Roomy bool
	// Slot is the slot given on a pooled platform: an idle one, or a new
	// row (no application yet) the daemon makes an application for.
	Slot *PoolSlot
	// Refused is the cap that refused the bot (see RefuseOverCap); the
	// bot no longer exists.
	Refused *ConcurrencyLimitError
}

// AdmitQueuedParams is the input of AdmitQueued.
type AdmitQueuedParams struct {
	Platforms []PlatformLimit
	Now       time.Time
	Max       int // 0: no bound
	Routing   Routing
}

// ClaimDeploysParams is the input of ClaimDeploys.
type ClaimDeploysParams struct {
	Holder   string
	Now      time.Time
	LeaseFor time.Duration
	BotID    int64 // claim only this bot when set
	Limit    int
	// TokenHashes are hashes of new agent tokens, taken in id order by
	// the bots claimed that no deployer held before and that have no pool
	// slot (a slot's bot speaks with its slot's token); the rest store
	// none.
	TokenHashes []string
}

// ClaimedBot is a bot ClaimDeploys handed out.
type ClaimedBot struct {
	Bot
	// TokenHash is the one of ClaimDeploysParams.TokenHashes the claim
	// stored as the bot's agent token hash; "" when it stored none.
	TokenHash string
}

// NewWebhookDelivery is the input of EnqueueWebhook.
type NewWebhookDelivery struct {
	BotID      int64 // 0: an endpoint event, of no bot
	UserID     int64
	EndpointID int64 // 0: the bot's callback URL
	URL        string
	MessageID  string // "": a new one
	Event      string // api.WebhookBotEnded, ...
	Status     api.BotStatus
	Payload    json.RawMessage
	Now        time.Time
}

// ClaimWebhooksParams is the input of ClaimWebhooks.
type ClaimWebhooksParams struct {
	Holder   string
	Now      time.Time
	LeaseFor time.Duration
	Limit    int
}

// WebhookAttempt is the outcome of one delivery attempt. StatusCode is the
// receiver's answer (0 when none came) and Error why the attempt failed.
type WebhookAttempt struct {
	ID            int64
	Holder        string
	Delivered     bool
	StatusCode    int
	Error         string
	NextAttemptAt *time.Time // when not delivered: retry then, or nil to give up
	Latency       time.Duration
	Response      string // the start of the receiver's answer
	// DisableAfter disables the delivery's endpoint when this attempt
	// failed and the endpoint has been failing at least this long; 0
	// never does.
	DisableAfter time.Duration
	// Disable disables the endpoint at once, for this reason (the
	// receiver answered 410 Gone).
	Disable string
	Now     time.Time
}

// LeasePoolSlotsParams is the input of LeasePoolSlots.
type LeasePoolSlotsParams struct {
	Platform string
	Holder   string
	Statuses []string // required
	// ChangedBefore narrows to slots whose status is older (a DEPLOYING
	// slot stuck for too long); IDs to these slots.
	ChangedBefore *time.Time
	IDs           []int64
	Now           time.Time
	LeaseFor      time.Duration
	Limit         int
}

// AddPoolSlotsParams is the input of AddPoolSlots.
type AddPoolSlotsParams struct {
	Platform        string
	MeetingPlatform string
	Count           int
	Pool            *SlotPool // the maximum and the names
	Now             time.Time
}

// SetPoolSlotAppParams is the input of SetPoolSlotApp.
type SetPoolSlotAppParams struct {
	ID        int64
	Holder    string
	AppUUID   string // "" forgets the application
	TokenHash string // kept when empty
	Now       time.Time
}

// UpdatePoolSlotParams is the input of UpdatePoolSlot.
type UpdatePoolSlotParams struct {
	ID     int64
	Holder string // the lease to act under; "" when nobody may hold one
	To     string
	Error  string // with ERROR: why
	Now    time.Time
}

// ImagePullParams is the input of TryImagePull.
type ImagePullParams struct {
	Key      string // server and image, e.g. server-uuid/zoom/ghcr.io/org/bot:latest
	Holder   string
	Now      time.Time
	LeaseFor time.Duration
}

// FinishImagePullParams is the input of FinishImagePull.
type FinishImagePullParams struct {
	Key    string
	Holder string
	Pulled bool
	Now    time.Time
}

// DeployTurnParams is the input of AcquireDeployTurn.
type DeployTurnParams struct {
	Scope  string // what the limit counts, e.g. "coolify"
	Entry  string // one per deploy, e.g. "slot-12"
	Holder string
	Max    int // turns granted at once (DEPLOYMENT_QUEUE_MAX_CONCURRENT)
	Now    time.Time
	// LeaseFor is how long the entry lives without being renewed;
	// WaitFor how long it may wait for its turn in all.
	LeaseFor, WaitFor time.Duration
}
