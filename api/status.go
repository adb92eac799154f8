package api

// BotStatus is where a bot is in its life. The values are the wire values of
// both the REST API and the bot protocol.
type BotStatus string

// The statuses of a bot, in the order a healthy bot walks them.
const (
	StatusScheduled     BotStatus = "SCHEDULED"
	StatusQueued        BotStatus = "QUEUED"
	StatusDeploying     BotStatus = "DEPLOYING"
	StatusJoiningCall   BotStatus = "JOINING_CALL"
	StatusInWaitingRoom BotStatus = "IN_WAITING_ROOM"
	StatusInCall        BotStatus = "IN_CALL"
	StatusLeaving       BotStatus = "LEAVING"
	StatusCallEnded     BotStatus = "CALL_ENDED"
	StatusDone          BotStatus = "DONE"
	StatusFatal         BotStatus = "FATAL"
)

// AllStatuses lists every status, in lifecycle order.
var AllStatuses = []BotStatus{
	StatusScheduled, StatusQueued, StatusDeploying, StatusJoiningCall, StatusInWaitingRoom,
	StatusInCall, StatusLeaving, StatusCallEnded, StatusDone, StatusFatal,
}

// Valid reports whether s is one of the known statuses.
func (s BotStatus) Valid() bool {
	for _, known := range AllStatuses {
		if s == known {
			return true
		}
	}
	return false
}

// Terminal reports whether a bot in status s has ended for good.
func (s BotStatus) Terminal() bool { return s == StatusDone || s == StatusFatal }

// HoldsCapacity reports whether a bot in status s occupies capacity on a
// platform. CALL_ENDED counts: the container is still running until the bot
// reports DONE (the original server forgot this and leaked capacity).
func (s BotStatus) HoldsCapacity() bool {
	switch s {
	case StatusDeploying, StatusJoiningCall, StatusInWaitingRoom, StatusInCall, StatusLeaving, StatusCallEnded:
		return true
	}
	return false
}

// Live reports whether a bot in status s runs somewhere and is expected to
// heartbeat (every status that holds capacity except DEPLOYING, where the
// container may still be starting).
func (s BotStatus) Live() bool { return s.HoldsCapacity() && s != StatusDeploying }

// transitions is the one table of legal status changes. Every writer of a
// status (API, agent API, workers) checks it; the store enforces it again in
// SQL so a race cannot slip past.
var transitions = map[BotStatus][]BotStatus{
	StatusScheduled:     {StatusQueued, StatusDeploying, StatusDone, StatusFatal},
	StatusQueued:        {StatusDeploying, StatusDone, StatusFatal},
	StatusDeploying:     {StatusQueued, StatusJoiningCall, StatusInWaitingRoom, StatusInCall, StatusLeaving, StatusCallEnded, StatusDone, StatusFatal},
	StatusJoiningCall:   {StatusInWaitingRoom, StatusInCall, StatusLeaving, StatusCallEnded, StatusDone, StatusFatal},
	StatusInWaitingRoom: {StatusJoiningCall, StatusInCall, StatusLeaving, StatusCallEnded, StatusDone, StatusFatal},
	StatusInCall:        {StatusLeaving, StatusCallEnded, StatusDone, StatusFatal},
	StatusLeaving:       {StatusCallEnded, StatusDone, StatusFatal},
	StatusCallEnded:     {StatusDone, StatusFatal},
}

// CanTransition reports whether a bot may move from one status to another.
// Staying in the same non-terminal status is allowed (bots repeat themselves).
func CanTransition(from, to BotStatus) bool {
	if from == to {
		return !from.Terminal()
	}
	for _, next := range transitions[from] {
		if next == to {
			return true
		}
	}
	return false
}

// SourcesOf lists the statuses from which a bot may move to status to. The
// store uses it to guard updates with "WHERE status IN (...)".
func SourcesOf(to BotStatus) []BotStatus {
	var out []BotStatus
	for _, from := range AllStatuses {
		if CanTransition(from, to) {
			out = append(out, from)
		}
	}
	return out
}

// Reason codes recorded with every terminal transition. Bots may report
// their own sub-codes (SIGN_IN_REQUIRED, MEETING_NOT_FOUND, ...), which are
// stored as given.
const (
	ReasonCompleted        = "completed"
	ReasonLeftByRequest    = "left_by_request"
	ReasonHeartbeatTimeout = "heartbeat_timeout"
	ReasonDeployTimeout    = "deploy_timeout"
	ReasonQueueTimeout     = "queue_timeout"
	ReasonCancelled        = "cancelled"
	ReasonPlatformError    = "platform_error"
	ReasonResourceVanished = "resource_vanished"
	ReasonBotError         = "bot_error"
	// ReasonDaemonStopped: the daemon running the bot's local process
	// stopped (a clean stop, without --drain or past its timeout).
	ReasonDaemonStopped = "daemon_stopped"
)
