package sandbox

import (
	"context"
	"errors"
	"net/http"

	"github.com/meeboter/meeboter/api"
)

// Transport is how the bot talks to the daemon. The scenario engine only
// sees this interface, so the same scenarios can drive the native agent API
// and the tRPC protocol of the existing bot images.
//
// Implementations return ErrGone or ErrUnauthorized (wrapped) when the
// daemon says the bot is over or its token is refused, and *api.Error for
// other error answers; anything else counts as the daemon being
// unreachable and is retried.
type Transport interface {
	// Config fetches the bot's configuration.
	Config(ctx context.Context) (api.AgentConfig, error)
	// Heartbeat tells the daemon the bot is alive.
	Heartbeat(ctx context.Context) (api.AgentHeartbeat, error)
	// Status reports a status change.
	Status(ctx context.Context, req api.AgentStatusRequest) (api.AgentHeartbeat, error)
	// Events reports events.
	Events(ctx context.Context, events []api.AgentEvent) error
	// Logs ships log entries; their ids make a retried batch harmless.
	Logs(ctx context.Context, entries []api.AgentLogEntry) error
	// DequeueChat takes the next chat message to post, or nil when none.
	DequeueChat(ctx context.Context) (*api.AgentChatMessage, error)
	// Screenshot uploads an image.
	Screenshot(ctx context.Context, s Screenshot) error
}

// LogFlusher is implemented by transports whose protocol has an explicit
// end of the log stream (the tRPC protocol's logs.flush, which archives
// the bot's logs). Run calls it once, after the last log batch.
type LogFlusher interface {
	FlushLogs(ctx context.Context) error
}

// Screenshot is one image upload.
type Screenshot struct {
	// Type is error, fatal, manual or state_change.
	Type    string
	State   string
	Trigger string
	PNG     []byte
}

// Protocols the bot can speak (the --protocol flag).
const (
	ProtocolNative = "native"
	ProtocolTRPC   = "trpc"
)

var (
	// ErrGone means the daemon considers the bot ended (410, or 409 on
	// config): the bot exits quietly with status 0.
	ErrGone = errors.New("bot has ended on the daemon")
	// ErrUnauthorized means the daemon refused the bot's token (401, 403):
	// the bot's run is over, so it too exits quietly.
	ErrUnauthorized = errors.New("bot token refused")
	// ErrCrashed is returned by Run for the crash-in-call scenario; the
	// command exits with status 1, as a crashed bot would.
	ErrCrashed = errors.New("sandbox bot crashed on purpose (scenario crash-in-call)")
)

// quiet reports whether err ends the bot without it being a failure.
func quiet(err error) bool {
	return errors.Is(err, ErrGone) || errors.Is(err, ErrUnauthorized)
}

// retryable reports whether a failed call may succeed if repeated: the
// daemon restarting, overloaded or briefly unreachable.
func retryable(err error) bool {
	if err == nil || quiet(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		switch {
		case ae.Status >= 500, ae.Status == http.StatusTooManyRequests, ae.Status == http.StatusRequestTimeout:
			return true
		}
		return false
	}
	return true
}
