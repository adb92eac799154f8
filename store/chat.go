package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

const templateCols = "id, user_id, name, messages, created_at, updated_at"

func scanTemplate(r interface{ Scan(...any) error }, t *Template) error {
	t.Messages = nil
	return r.Scan(&t.ID, &t.UserID, &t.Name, jsonCol{&t.Messages}, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt})
}

func (s *db) templateRow(ctx context.Context, q string, args ...any) (Template, error) {
	var t Template
	err := mapErr(scanTemplate(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &t))
	return t, err
}

// CreateTemplate stores a template; UpdatedAt defaults to CreatedAt.
func (s *db) CreateTemplate(ctx context.Context, t Template) (Template, error) {
	msgs, err := jsonArg(nonNilSlice(t.Messages))
	if err != nil {
		return Template{}, err
	}
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = t.CreatedAt
	}
	return s.templateRow(ctx, "INSERT INTO message_templates (user_id, name, messages, created_at, updated_at) "+
		"VALUES (?, ?, ?, ?, ?) RETURNING "+templateCols, t.UserID, t.Name, msgs, s.d.at(t.CreatedAt), s.d.at(t.UpdatedAt))
}

func nonNilSlice(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// GetTemplate reads an owned template.
func (s *db) GetTemplate(ctx context.Context, userID, id int64) (Template, error) {
	return s.templateRow(ctx, "SELECT "+templateCols+" FROM message_templates WHERE id = ? AND user_id = ?", id, userID)
}

// ListTemplates pages a user's templates, newest first.
func (s *db) ListTemplates(ctx context.Context, userID int64, p Page) ([]Template, error) {
	q, args := newestFirst("SELECT "+templateCols+" FROM message_templates WHERE user_id = ?", []any{userID}, p)
	return collect(ctx, s, q, args, func(r *sql.Rows, t *Template) error { return scanTemplate(r, t) })
}

// UpdateTemplate replaces the name and messages of an owned template.
func (s *db) UpdateTemplate(ctx context.Context, t Template) (Template, error) {
	msgs, err := jsonArg(nonNilSlice(t.Messages))
	if err != nil {
		return Template{}, err
	}
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = time.Now()
	}
	return s.templateRow(ctx, "UPDATE message_templates SET name = ?, messages = ?, updated_at = ? "+
		"WHERE id = ? AND user_id = ? RETURNING "+templateCols, t.Name, msgs, s.d.at(t.UpdatedAt), t.ID, t.UserID)
}

// DeleteTemplate removes an owned template; messages sent from it keep
// their text.
func (s *db) DeleteTemplate(ctx context.Context, userID, id int64) error {
	n, err := s.exec(ctx, "DELETE FROM message_templates WHERE id = ? AND user_id = ?", id, userID)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

const chatCols = "id, bot_id, user_id, template_id, body, status, enqueued_at, sent_at"

func scanChat(r interface{ Scan(...any) error }, m *ChatMessage) error {
	var tmpl sql.NullInt64
	if err := r.Scan(&m.ID, &m.BotID, &m.UserID, &tmpl, &m.Text, &m.Status, timeCol{&m.EnqueuedAt}, nullTimeCol{&m.SentAt}); err != nil {
		return err
	}
	m.TemplateID = nil
	if tmpl.Valid {
		m.TemplateID = &tmpl.Int64
	}
	return nil
}

func (s *db) chatRow(ctx context.Context, q string, args ...any) (ChatMessage, error) {
	var m ChatMessage
	err := mapErr(scanChat(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &m))
	return m, err
}

// EnqueueChat stores messages in one transaction, in order; Status defaults
// to queued.
func (s *db) EnqueueChat(ctx context.Context, msgs []ChatMessage) ([]ChatMessage, error) {
	out := make([]ChatMessage, 0, len(msgs))
	err := s.tx(ctx, func(t *db) error {
		for _, m := range msgs {
			if m.Status == "" {
				m.Status = ChatQueued
			}
			var tmpl any
			if m.TemplateID != nil {
				tmpl = *m.TemplateID
			}
			stored, err := t.chatRow(ctx, "INSERT INTO bot_chat_messages (bot_id, user_id, template_id, body, status, "+
				"enqueued_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "+chatCols,
				m.BotID, m.UserID, tmpl, m.Text, m.Status, t.d.at(m.EnqueuedAt), t.d.atp(m.SentAt))
			if err != nil {
				return err
			}
			out = append(out, stored)
		}
		return nil
	})
	return out, err
}

// dequeueTries bounds retries of a dequeue that lost every race it ran.
// Between tries it waits a little longer each time: a lost race means the
// rows left are locked by dequeues still running, which commit within
// milliseconds, and retrying at once would only lose again.
const dequeueTries = 20

// raceBackoff is the wait before retry n (0-based) of a lost race.
func raceBackoff(ctx context.Context, n int) error {
	if n == 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Duration(n) * time.Millisecond):
		return nil
	}
}

// DequeueChat takes the oldest queued message in one statement. A statement
// that finds its candidate taken by a racing caller returns nothing; it is
// retried while queued messages remain, so "none" always means none.
func (s *db) DequeueChat(ctx context.Context, botID int64, now time.Time) (ChatMessage, error) {
	q := "UPDATE bot_chat_messages SET status = 'sent', sent_at = ? WHERE id = (SELECT id FROM bot_chat_messages " +
		"WHERE bot_id = ? AND status = 'queued' ORDER BY id LIMIT 1" + s.d.skipLocked() + ") AND status = 'queued' RETURNING " + chatCols
	for try := range dequeueTries {
		if err := raceBackoff(ctx, try); err != nil {
			return ChatMessage{}, err
		}
		m, err := s.chatRow(ctx, q, s.d.at(now), botID)
		if !errors.Is(err, ErrNotFound) {
			return m, err
		}
		left, err := s.exists(ctx, "SELECT count(*) FROM bot_chat_messages WHERE bot_id = ? AND status = 'queued'", botID)
		if err != nil {
			return ChatMessage{}, err
		}
		if !left {
			return ChatMessage{}, ErrNotFound
		}
	}
	return ChatMessage{}, ErrConflict
}

// ListChat pages a bot's messages by id ascending.
func (s *db) ListChat(ctx context.Context, botID int64, p Page) ([]ChatMessage, error) {
	var out []ChatMessage
	err := s.each(ctx, "SELECT "+chatCols+" FROM bot_chat_messages WHERE bot_id = ? AND id > ? ORDER BY id LIMIT ?",
		[]any{botID, p.AfterID, limit(p.Limit)}, func(r *sql.Rows) error {
			var m ChatMessage
			err := scanChat(r, &m)
			out = append(out, m)
			return err
		})
	return out, err
}
