package trpc

import "context"

// TokenHeader carries the bot's MILO_AUTH_TOKEN on every request.
const TokenHeader = "X-Milo-Token"

// Backend is what the bot protocol needs from the rest of the daemon. The
// handler decodes, validates and authorizes each call before it reaches the
// Backend: a bot identity only ever sees its own bot id. A slot identity is
// passed through with whatever bot id the container asked for, and the
// Backend must check it against the slot's assignment.
//
// Errors are classified by wrapping the sentinels of this package
// (ErrNotFound, ErrPreconditionFailed, ...); their text becomes the message
// the bot logs. Any other error is answered as INTERNAL_SERVER_ERROR with a
// generic message, and logged.
type Backend interface {
	// Authenticate maps an X-Milo-Token to the bot or pool slot it was
	// issued for; ErrUnauthorized when it is unknown. Comparing secrets
	// must take constant time (see TokensEqual).
	Authenticate(ctx context.Context, token string) (Identity, error)
	// BotConfig answers bots.getConfig: ErrNotFound for an unknown bot,
	// ErrPreconditionFailed when the bot has finished or is leaving
	// (the container should exit).
	BotConfig(ctx context.Context, id Identity, botID int64) (BotConfig, error)
	// SlotConfig answers infrastructure.coolify.pool.getSlot with the
	// config of the bot assigned to the slot: ErrNotFound when the slot is
	// unknown or idle, ErrPreconditionFailed when its bot has finished.
	SlotConfig(ctx context.Context, id Identity, slotUUID string) (BotConfig, error)
	// Heartbeat records that the bot is alive. It should not fail for a
	// finished or unknown bot: the bots heartbeat until they exit.
	Heartbeat(ctx context.Context, id Identity, botID int64) (Heartbeat, error)
	// ReportEvent stores one event of the bot.
	ReportEvent(ctx context.Context, id Identity, botID int64, ev Event) error
	// UpdateStatus applies a status reported by the bot. A status the
	// daemon chooses to ignore (a non-terminal one while LEAVING, a step
	// back after a restart) should return nil: the bot cannot act on it.
	UpdateStatus(ctx context.Context, id Identity, botID int64, u StatusUpdate) error
	// DequeueChat atomically pops the bot's oldest queued chat message;
	// nil when there is none.
	DequeueChat(ctx context.Context, id Identity, botID int64) (*ChatMessage, error)
	// AppendLogs stores streamed log entries and returns how many it took.
	// Entries may repeat (same ID) and arrive after DONE.
	AppendLogs(ctx context.Context, id Identity, botID int64, entries []LogEntry) (int, error)
	// FlushLogs archives the bot's pending logs; sent once at shutdown.
	FlushLogs(ctx context.Context, id Identity, botID int64) error
	// SaveScreenshot stores one uploaded screenshot.
	SaveScreenshot(ctx context.Context, id Identity, botID int64, s ScreenshotUpload) (ScreenshotInfo, error)
}
