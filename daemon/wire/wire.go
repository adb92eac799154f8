// Package wire maps stored values to the API's wire types: the one place
// where a store.Bot becomes an api.Bot, shared by every transport.
package wire

import (
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// Bot is the one mapping from a stored bot to the wire.
func Bot(b store.Bot) api.Bot {
	meta := b.Metadata
	if meta == nil {
		meta = map[string]string{}
	}
	return api.Bot{
		ID:          b.ID,
		DisplayName: b.DisplayName,
		ImageURL:    b.ImageURL,
		Meeting: api.Meeting{
			MeetingURL: b.Meeting.URL, Platform: b.Meeting.Platform, MeetingID: b.Meeting.MeetingID,
			MeetingPassword: b.Meeting.Password, OrganizerID: b.Meeting.OrganizerID, TenantID: b.Meeting.TenantID,
			MessageID: b.Meeting.MessageID, ThreadID: b.Meeting.ThreadID,
		},
		JoinAt:             b.JoinAt,
		MaxDurationSeconds: int64(b.MaxDuration.Seconds()),
		AutomaticLeave:     api.AutomaticLeave(b.AutomaticLeave),
		RecordingEnabled:   b.RecordingEnabled,
		Recording:          b.RecordingKey,
		SpeakerTimeframes:  b.SpeakerTimeframes,
		Status:             b.Status,
		EndReason:          b.EndReason,
		EndDetail:          b.EndDetail,
		LastHeartbeatAt:    b.LastHeartbeatAt,
		LogLevel:           b.LogLevel,
		CallbackURL:        b.CallbackURL,
		DeploymentPlatform: b.DeploymentPlatform,
		PlatformID:         b.PlatformID,
		Metadata:           meta,
		Priority:           b.Priority,
		QueueTimeoutSecs:   int64(b.QueueTimeout.Seconds()),
		QueuedAt:           b.QueuedAt,
		DeployStartedAt:    b.DeployStartedAt,
		JoinedAt:           b.JoinedAt,
		EndedAt:            b.EndedAt,
		CreatedAt:          b.CreatedAt,
		UpdatedAt:          b.UpdatedAt,
	}
}

// Key maps an API key (never its secret, which is not stored).
func Key(k store.APIKey) api.APIKey {
	return api.APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt,
		MaxConcurrentBots: k.MaxConcurrentBots}
}

// User maps a user.
func User(u store.User) api.User {
	return api.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), CustomDailyBotLimit: u.CustomDailyBotLimit, CreatedAt: u.CreatedAt,
		Plan: u.Plan, MaxConcurrentBots: u.MaxConcurrentBots, DedupWindowSeconds: int(u.DedupWindow / time.Second)}
}

// Chat maps a chat message.
func Chat(m store.ChatMessage) api.ChatMessage {
	return api.ChatMessage{ID: m.ID, BotID: m.BotID, TemplateID: m.TemplateID, Text: m.Text, Status: m.Status, EnqueuedAt: m.EnqueuedAt, SentAt: m.SentAt}
}

// Template maps a chat template.
func Template(t store.Template) api.Template {
	return api.Template{ID: t.ID, Name: t.Name, Messages: t.Messages, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// Screenshot maps a screenshot record.
func Screenshot(sc store.Screenshot) api.Screenshot {
	return api.Screenshot{ID: sc.ID, BotID: sc.BotID, Key: sc.Key, Type: sc.Type, State: sc.State, Trigger: sc.Trigger, Size: sc.Size, CapturedAt: sc.CapturedAt}
}

// Map converts a page of rows.
func Map[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// Event maps a bot event.
func Event(e store.Event) api.Event {
	return api.Event{ID: e.ID, BotID: e.BotID, Type: e.Type, Time: e.Time, Data: e.Data, CreatedAt: e.CreatedAt}
}

// Log maps a stored log line.
func Log(e store.LogEntry) api.LogEntry {
	return api.LogEntry{ID: e.ID, BotID: e.BotID, EntryID: e.EntryID, Time: e.Time, Level: e.Level, Message: e.Message, Fields: e.Fields}
}

// Endpoint maps a webhook endpoint, never its secrets.
func Endpoint(e store.WebhookEndpoint) api.WebhookEndpoint {
	types := e.EventTypes
	if types == nil {
		types = []string{}
	}
	out := api.WebhookEndpoint{ID: e.ID, URL: e.URL, Description: e.Description, EventTypes: types,
		FailingSince: e.FailingSince, DisabledAt: e.DisabledAt, DisabledReason: e.DisabledReason,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if e.PreviousSecret != "" {
		out.PreviousSecretExpiresAt = e.PreviousUntil
	}
	return out
}

// Delivery maps one delivery of the outbox with its last attempt.
func Delivery(d store.WebhookDelivery) api.WebhookDelivery {
	state := api.DeliveryPending
	switch {
	case d.DeliveredAt != nil:
		state = api.DeliveryDelivered
	case d.GivenUp():
		state = api.DeliveryFailed
	}
	return api.WebhookDelivery{ID: d.ID, EndpointID: d.EndpointID, BotID: d.BotID, MessageID: d.MessageID, EventType: d.Event,
		URL: d.URL, State: state, Attempts: d.Attempts, StatusCode: d.LastStatus, LatencyMS: d.LastLatency.Milliseconds(),
		Response: d.LastResponse, Error: d.LastError, LastAttemptAt: d.LastAttemptAt, NextAttemptAt: d.NextAttemptAt,
		DeliveredAt: d.DeliveredAt, CreatedAt: d.CreatedAt}
}

// PlanLimits maps a plan.
func PlanLimits(p store.Plan) api.PlanLimits {
	return api.PlanLimits{Name: p.Name, DailyBots: p.DailyBots, ConcurrentBots: p.ConcurrentBots, MaxBotDurationSeconds: int(p.MaxBotDuration / time.Second)}
}
