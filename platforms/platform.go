// Package platforms defines where bots run. Each adapter (local processes,
// Kubernetes Jobs, ECS tasks, Coolify slots) implements Platform, and every
// adapter passes the same conformance suite in platforms/platformtest.
package platforms

import (
	"context"
	"errors"
	"time"
)

// Names of the platforms as used in PLATFORM_PRIORITY and stored on bots.
const (
	Local      = "local"
	Kubernetes = "k8s"
	AWS        = "aws"
	Coolify    = "coolify"
)

// ErrNotFound is returned by Status when the platform has no resource with
// the given identifier. Stop treats a missing resource as already stopped.
var ErrNotFound = errors.New("platform resource not found")

// ErrFull is returned by Deploy when the platform has no room right now. The
// admission logic then tries the next platform, as it does on any other
// deploy error.
var ErrFull = errors.New("platform full")

// DeploySpec is everything a platform needs to start one bot.
type DeploySpec struct {
	BotID           int64
	MeetingPlatform string // google-meet, microsoft-teams or zoom
	// Env is the environment of the bot process or container: BOT_ID,
	// MILO_URL, MILO_AUTH_TOKEN, DOCKER_MEETING_PLATFORM, NODE_ENV, S3_*.
	Env map[string]string
	// Secrets names the keys of Env that are credentials. Adapters that can
	// keep secrets apart from the workload spec (a Kubernetes Secret, for
	// instance) do so for these keys.
	Secrets []string
	// MaxDuration bounds how long the bot may run; adapters that can enforce
	// a deadline (activeDeadlineSeconds) use it.
	MaxDuration time.Duration
	// Attempt names this deploy of the bot, for adapters whose create call
	// can be made idempotent (ECS RunTask takes a client token). Retries of
	// one deploy, after a timeout or by another daemon after a crash, pass
	// the same Attempt and the same Env, so the bot is started at most once;
	// a new deploy (a failover, a new bot token) passes a new Attempt. A
	// value derived from the bot token the deploy carries fits both rules.
	// Empty leaves it to the adapter, which then treats an identical spec as
	// the same attempt.
	Attempt string
	// Slot is set for pooled platforms (Coolify): the reusable slot that
	// admission gave the bot, whose application runs it. Such a platform
	// deploys into the slot and returns the slot's application uuid; the
	// bot's Env is not applied there, because a slot's environment is
	// written once when the slot is created (the container finds its bot
	// through the slot). Nil for every other platform.
	Slot *Slot
}

// Slot is a reusable container slot as a pooled platform needs it.
type Slot struct {
	ID   int64  // the store's slot id
	Name string // e.g. pool-google-meet-001
	// AppUUID is the slot's application. The daemon creates it (through
	// the platform's pool operations) before the first deploy.
	AppUUID string
}

// Resource is what a platform runs for one bot.
type Resource struct {
	// ID is the platform identifier: a process id, Job name, task ARN or
	// slot UUID. It is stored on the bot as platform_identifier.
	ID    string
	BotID int64
	State ResourceState
	// Reason says why a resource failed, as a reason code
	// (image_pull_failed, oom_killed, pod_failed, exited, ...).
	Reason string
	Detail string
}

// ResourceState is a platform-neutral view of a resource.
type ResourceState string

// The states a resource can be in.
const (
	StatePending   ResourceState = "PENDING"
	StateRunning   ResourceState = "RUNNING"
	StateSucceeded ResourceState = "SUCCEEDED"
	StateFailed    ResourceState = "FAILED"
)

// Platform runs bots somewhere.
type Platform interface {
	// Name is the platform's name as in PLATFORM_PRIORITY.
	Name() string
	// Deploy starts the bot and returns its resource identifier. It must
	// not block on the bot joining the call.
	Deploy(ctx context.Context, spec DeploySpec) (string, error)
	// Stop ends the resource. Stopping a missing resource is not an error.
	Stop(ctx context.Context, id string) error
	// Status reports the state of one resource, or ErrNotFound.
	Status(ctx context.Context, id string) (Resource, error)
	// List returns every resource the platform runs for this meeboter, for
	// reconciliation against the bots table.
	List(ctx context.Context) ([]Resource, error)
	// Capacity is the most bots this platform may run at once; 0 means the
	// platform is not usable.
	Capacity() int
}

// Watcher is implemented by platforms that push resource changes (for
// example from a Kubernetes informer) instead of waiting to be polled.
type Watcher interface {
	// Watch calls fn for every change of state until ctx ends.
	Watch(ctx context.Context, fn func(Resource)) error
}

// BatchStatuser is implemented by platforms that report many resources in
// one call (ECS DescribeTasks takes up to 100 task ARNs). The daemon's
// workers use it, when present, to check every live bot of the platform
// with a few calls instead of one per bot.
type BatchStatuser interface {
	// Statuses reports the state of each id it knows; an id the platform
	// has no resource for is absent from the map (it vanished). An error
	// means the answer is incomplete and nothing may be concluded from it.
	Statuses(ctx context.Context, ids []string) (map[string]Resource, error)
}

// HostBound is implemented by platforms whose resources only the daemon
// that started them can see (local processes). Such a platform is
// reconciled by each daemon for the bots it deployed, never by the leader
// for everyone: another daemon's processes are not in its listing.
type HostBound interface {
	// HostBound reports that the platform's resources belong to this host.
	HostBound() bool
}

// DetailedError is implemented by deploy errors that carry what the
// platform said beyond their text (ECS's failures[]). The daemon records
// the details on the bot's DEPLOY_FAILED event.
type DetailedError interface {
	error
	// Details is JSON-encodable data describing the failure.
	Details() any
}
