package api

import "time"

// ChatMessage is a message queued for a bot to post in the meeting chat.
type ChatMessage struct {
	ID         int64      `json:"id"`
	BotID      int64      `json:"botId"`
	TemplateID *int64     `json:"templateId,omitempty"`
	Text       string     `json:"text"`
	Status     string     `json:"status"`
	EnqueuedAt time.Time  `json:"enqueuedAt"`
	SentAt     *time.Time `json:"sentAt,omitempty"`
}

// SendChatRequest is the body of POST /v1/bots/{id}/chat.
type SendChatRequest struct {
	Text string `json:"text"`
}

// BroadcastChatRequest is the body of POST /v1/chat/messages: one text to
// many bots.
type BroadcastChatRequest struct {
	BotIDs []int64 `json:"botIds"`
	Text   string  `json:"text"`
}

// Template is a named set of chat messages.
type Template struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Messages  []string  `json:"messages"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// TemplateRequest is the body of POST and PATCH /v1/chat/templates.
type TemplateRequest struct {
	Name     string   `json:"name"`
	Messages []string `json:"messages"`
}

// SendTemplateRequest is the body of POST /v1/chat/templates/{id}/send;
// each bot gets one of the template's messages at random.
type SendTemplateRequest struct {
	BotIDs []int64 `json:"botIds"`
}
