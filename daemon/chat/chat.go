// Package chat queues the messages bots post in their meetings: one
// message for one bot, one for many, and templates that pick a message at
// random. Bots take their queued messages through the agent API.
package chat

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// maxText bounds a message, in characters.
const maxText = 1000

// maxBots bounds the bots one broadcast names.
const maxBots = 1000

// Service queues chat messages and manages templates.
type Service struct {
	store store.Store
	now   func() time.Time
}

// New returns the service.
func New(st store.Store, now func() time.Time) *Service { return &Service{store: st, now: now} }

func validateText(v *domain.Validator, text, field string) {
	v.Check(strings.TrimSpace(text) != "", field, "must not be empty")
	v.Check(len([]rune(text)) <= maxText, field, "must be at most %d characters", maxText)
}

func validateBotIDs(v *domain.Validator, ids []int64) {
	v.Check(len(ids) >= 1 && len(ids) <= maxBots, "botIds", "must name 1 to %d bots", maxBots)
}

// Send queues a message for one bot. Messages to a bot that has ended are
// refused: it will never post them.
func (s *Service) Send(ctx context.Context, b store.Bot, text string) (store.ChatMessage, error) {
	v := &domain.Validator{}
	validateText(v, text, "text")
	if err := v.Err(); err != nil {
		return store.ChatMessage{}, err
	}
	if b.Status.Terminal() {
		return store.ChatMessage{}, domain.Conflict("the bot has ended (%s); it cannot post messages", b.Status)
	}
	msgs, err := s.store.EnqueueChat(ctx, []store.ChatMessage{{BotID: b.ID, UserID: b.UserID, Text: text, Status: store.ChatQueued, EnqueuedAt: s.now()}})
	if err != nil {
		return store.ChatMessage{}, err
	}
	return msgs[0], nil
}

// Failure is one bot a broadcast could not reach.
type Failure struct {
	BotID int64
	Err   error
}

// Broadcast queues text for each of userID's bots in ids.
func (s *Service) Broadcast(ctx context.Context, userID int64, ids []int64, text string) ([]int64, []Failure, error) {
	v := &domain.Validator{}
	validateBotIDs(v, ids)
	validateText(v, text, "text")
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	return s.broadcast(ctx, userID, ids, func() (string, *int64) { return text, nil })
}

// broadcast queues one message per named bot, choosing the text per bot,
// and reports which bots could not take it (not found, or ended).
func (s *Service) broadcast(ctx context.Context, userID int64, ids []int64, text func() (string, *int64)) ([]int64, []Failure, error) {
	ok, failed := []int64{}, []Failure{}
	var msgs []store.ChatMessage
	for _, id := range ids {
		b, err := s.store.GetUserBot(ctx, userID, id)
		switch {
		case err != nil:
			failed = append(failed, Failure{BotID: id, Err: domain.NotFoundIf(err, "bot")})
		case b.Status.Terminal():
			failed = append(failed, Failure{BotID: id, Err: domain.Conflict("the bot has ended")})
		default:
			t, tmpl := text()
			msgs = append(msgs, store.ChatMessage{BotID: id, UserID: userID, TemplateID: tmpl, Text: t, Status: store.ChatQueued, EnqueuedAt: s.now()})
			ok = append(ok, id)
		}
	}
	if len(msgs) > 0 {
		if _, err := s.store.EnqueueChat(ctx, msgs); err != nil {
			return nil, nil, err
		}
	}
	return ok, failed, nil
}

// SendTemplate queues one of the template's messages, at random, for each bot.
func (s *Service) SendTemplate(ctx context.Context, t store.Template, ids []int64) ([]int64, []Failure, error) {
	v := &domain.Validator{}
	validateBotIDs(v, ids)
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	return s.broadcast(ctx, t.UserID, ids, func() (string, *int64) { return t.Messages[rand.IntN(len(t.Messages))], &t.ID })
}

func validateTemplate(name string, messages []string) error {
	v := &domain.Validator{}
	v.Check(name != "", "name", "is required")
	v.MaxLen(name, 255, "name")
	v.Check(len(messages) >= 1 && len(messages) <= 100, "messages", "must hold 1 to 100 messages")
	for i, m := range messages {
		validateText(v, m, "messages["+strconv.Itoa(i)+"]")
	}
	return v.Err()
}
