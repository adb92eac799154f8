package openapigen

import (
	"fmt"

	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/lifecycle"
)

// fieldLimits are the server's limits on request members, keyed by
// "Type.member", as JSON Schema keywords: a generated client can check
// them before sending. TestFieldLimitsHold sends each limit's first
// refused value to the daemon and checks the answer names the member, so
// the table cannot drift from what the services enforce.
var fieldLimits = map[string]obj{
	"Meeting.meetingUrl":                    {"maxLength": 2048, "format": "uri"},
	"Meeting.meetingId":                     {"maxLength": 255},
	"Meeting.meetingPassword":               {"maxLength": 255},
	"Meeting.organizerId":                   {"maxLength": 255},
	"Meeting.tenantId":                      {"maxLength": 255},
	"Meeting.messageId":                     {"maxLength": 255},
	"Meeting.threadId":                      {"maxLength": 255},
	"CreateBotRequest.displayName":          {"maxLength": 255},
	"CreateBotRequest.imageUrl":             {"maxLength": 1024, "format": "uri"},
	"CreateBotRequest.callbackUrl":          {"maxLength": 1024, "format": "uri"},
	"CreateBotRequest.metadata":             metadataLimits(),
	"CreateBotRequest.maxDurationSeconds":   {"minimum": 60, "maximum": 86400},
	"CreateBotRequest.queueTimeoutSeconds":  {"minimum": 0, "maximum": 86400},
	"CreateBotRequest.priority":             {"minimum": 0, "maximum": 9},
	"UpdateBotRequest.displayName":          {"minLength": 1, "maxLength": 255},
	"UpdateBotRequest.imageUrl":             {"maxLength": 1024, "format": "uri"},
	"UpdateBotRequest.callbackUrl":          {"maxLength": 1024, "format": "uri"},
	"UpdateBotRequest.metadata":             metadataLimits(),
	"UpdateBotRequest.maxDurationSeconds":   {"minimum": 60, "maximum": 86400},
	"AutomaticLeave.waitingRoomTimeout":     {"minimum": 0, "maximum": 86400000},
	"AutomaticLeave.noOneJoinedTimeout":     {"minimum": 0, "maximum": 86400000},
	"AutomaticLeave.everyoneLeftTimeout":    {"minimum": 0, "maximum": 86400000},
	"AutomaticLeave.inactivityTimeout":      {"minimum": 0, "maximum": 86400000},
	"BulkRequest.botIds":                    {"minItems": 1, "maxItems": lifecycle.MaxBulk},
	"SendChatRequest.text":                  {"minLength": 1, "maxLength": 1000},
	"BroadcastChatRequest.botIds":           {"minItems": 1, "maxItems": 1000},
	"BroadcastChatRequest.text":             {"minLength": 1, "maxLength": 1000},
	"TemplateRequest.name":                  {"minLength": 1, "maxLength": 255},
	"TemplateRequest.messages":              {"minItems": 1, "maxItems": 100, "items": obj{"type": "string", "minLength": 1, "maxLength": 1000}},
	"SendTemplateRequest.botIds":            {"minItems": 1, "maxItems": 1000},
	"CreateKeyRequest.name":                 {"minLength": 1, "maxLength": 255},
	"CreateKeyRequest.expiresInDays":        {"minimum": 0, "maximum": 365},
	"CreateUserRequest.email":               {"maxLength": 255, "format": "email"},
	"CreateUserRequest.name":                {"maxLength": 255},
	"CreateUserRequest.customDailyBotLimit": {"minimum": 0, "maximum": 1000000},
	"CreateBotRequest.deduplicationKey":     {"maxLength": 255},
	"CreateKeyRequest.maxConcurrentBots":    {"minimum": 0, "maximum": account.MaxConcurrentBots},
	"PlanLimits.name":                       {"pattern": "^[A-Za-z0-9_-]{1,64}$"},
	"PlanLimits.dailyBots":                  {"minimum": 0, "maximum": account.MaxDailyLimit},
	"PlanLimits.concurrentBots":             {"minimum": 0, "maximum": account.MaxConcurrentBots},
	"PlanLimits.maxBotDurationSeconds":      {"minimum": 0, "maximum": account.MaxPlanDuration},
	"UpdateUserRequest.plan":                {"pattern": "^[A-Za-z0-9_-]{1,64}$"},
	"UpdateUserRequest.customDailyBotLimit": {"minimum": 0, "maximum": account.MaxDailyLimit},
	"UpdateUserRequest.maxConcurrentBots":   {"minimum": 0, "maximum": account.MaxConcurrentBots},
	"UpdateUserRequest.dedupWindowSeconds":  {"minimum": 0, "maximum": account.MaxDedupWindowSecs},
	"AgentStatusRequest.subCode":            {"maxLength": 64},
	"AgentStatusRequest.description":        {"maxLength": 1024},
	"AgentStatusRequest.recording":          {"maxLength": 1024},
	"AgentEventsRequest.events":             {"maxItems": agent.MaxEventsPerCall},
	"AgentEvent.type":                       {"pattern": "^[A-Z][A-Z0-9_]{0,63}$"},
	"AgentLogsRequest.entries":              {"maxItems": agent.MaxLogsPerCall},
	"AgentLogEntry.id":                      {"minLength": 1, "maxLength": agent.MaxLogEntryID},
	"AgentLogEntry.message": {"description": fmt.Sprintf("Longer than %d bytes is truncated, not refused: bots resend a refused batch.",
		agent.MaxLogMessage)},
}

func metadataLimits() obj {
	return obj{"maxProperties": 50, "propertyNames": obj{"pattern": `^[A-Za-z0-9_.\\-/]{1,64}$`},
		"additionalProperties": obj{"type": "string", "maxLength": 512}}
}
