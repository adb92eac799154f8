package openapigen

import (
	"reflect"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/httpapi"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/store"
)

// enumComponent is a closed set of string values the API uses. Values come
// from the tables the daemon validates against, so the document cannot
// promise a value the daemon refuses.
type enumComponent struct {
	goType      reflect.Type // the Go type carrying the values, if it has one
	description string
	values      []string
}

func (e enumComponent) schema() obj {
	return obj{"type": "string", "enum": e.values, "description": e.description}
}

// enumComponents are the enumerations of the document, by component name.
func enumComponents() map[string]enumComponent {
	return map[string]enumComponent{
		"BotStatus": {reflect.TypeFor[api.BotStatus](),
			"Where a bot is in its life, in the order a healthy bot walks the statuses.",
			stringsOf(api.AllStatuses)},
		"MeetingPlatform": {nil, "The meeting service of a call.",
			[]string{api.MeetingGoogleMeet, api.MeetingMicrosoftTeams, api.MeetingZoom}},
		"LogLevel":       {nil, "The level a bot logs at.", lifecycle.LogLevels()},
		"Role":           {nil, "Admins manage users and see the whole fleet; members see their own resources.", []string{api.RoleAdmin, api.RoleMember}},
		"ScreenshotType": {nil, "Why a bot took a screenshot.", agent.ScreenshotTypes()},
		"ChatStatus":     {nil, "Where a chat message is: waiting for its bot, posted, or dropped.", []string{store.ChatQueued, store.ChatSent, store.ChatExpired}},
		"SlotStatus":     {nil, "The state of a reusable container slot.", []string{store.SlotIdle, store.SlotDeploying, store.SlotHealthy, store.SlotError}},
		"StreamEventType": {nil, "Which member of a stream message is set; ping carries nothing and keeps idle connections open.",
			[]string{"bot", "event", "log", "ping"}},
		"ProblemCode": {nil, "The stable error code of a problem document; clients branch on it, never on the text.", httpapi.ProblemCodes()},
	}
}

// fieldEnums names the enumeration of string members whose Go type is a
// plain string, keyed by "Type.member".
var fieldEnums = map[string]string{
	"Meeting.platform":           "MeetingPlatform",
	"QueueEntry.meetingPlatform": "MeetingPlatform",
	"PoolSlot.meetingPlatform":   "MeetingPlatform",
	"Bot.logLevel":               "LogLevel",
	"CreateBotRequest.logLevel":  "LogLevel",
	"LogLevelRequest.logLevel":   "LogLevel",
	"AgentConfig.logLevel":       "LogLevel",
	"AgentHeartbeat.logLevel":    "LogLevel",
	"LogEntry.level":             "LogLevel",
	"AgentLogEntry.level":        "LogLevel",
	"User.role":                  "Role",
	"CreateUserRequest.role":     "Role",
	"Screenshot.type":            "ScreenshotType",
	"ChatMessage.status":         "ChatStatus",
	"PoolSlot.status":            "SlotStatus",
	"StreamEvent.type":           "StreamEventType",
	"Problem.code":               "ProblemCode",
}

func stringsOf[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
