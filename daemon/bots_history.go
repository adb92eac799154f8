package daemon

import (
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// listOwned is the shape of the per-bot listings: check ownership, page
// ascending from the cursor, convert.
func listOwned[T, U any](s *Server, list func(*http.Request, int64, store.Page) ([]T, error), conv func(T) U, id func(T) int64) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		b, err := s.ownedBot(r)
		if err != nil {
			return nil, err
		}
		page, err := pageFrom(r, false)
		if err != nil {
			return nil, err
		}
		rows, err := list(r, b.ID, page)
		if err != nil {
			return nil, err
		}
		return api.List[U]{Items: mapSlice(rows, conv), NextCursor: nextCursor(rows, page.Limit, id)}, nil
	}
}

func (s *Server) botEvents() handlerFunc {
	return listOwned(s, func(r *http.Request, id int64, p store.Page) ([]store.Event, error) {
		return s.store.ListEvents(r.Context(), id, p)
	}, eventToAPI, func(e store.Event) int64 { return e.ID })
}

func (s *Server) botLogs() handlerFunc {
	return listOwned(s, func(r *http.Request, id int64, p store.Page) ([]store.LogEntry, error) {
		return s.store.ListLogs(r.Context(), id, p)
	}, logToAPI, func(e store.LogEntry) int64 { return e.ID })
}

func (s *Server) botScreenshots() handlerFunc {
	return listOwned(s, func(r *http.Request, id int64, p store.Page) ([]store.Screenshot, error) {
		return s.store.ListScreenshots(r.Context(), id, p)
	}, screenshotToAPI, func(e store.Screenshot) int64 { return e.ID })
}

func (s *Server) botChatHistory() handlerFunc {
	return listOwned(s, func(r *http.Request, id int64, p store.Page) ([]store.ChatMessage, error) {
		return s.store.ListChat(r.Context(), id, p)
	}, chatToAPI, func(e store.ChatMessage) int64 { return e.ID })
}

const maxChatText = 1000

func validateChatText(v *validator, text, field string) {
	v.check(strings.TrimSpace(text) != "", field, "must not be empty")
	v.check(len([]rune(text)) <= maxChatText, field, "must be at most %d characters", maxChatText)
}

// sendChat queues a message for one bot. Messages to a bot that has ended
// are refused: it will never post them.
func (s *Server) sendChat(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	var req api.SendChatRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v := &validator{}
	validateChatText(v, req.Text, "text")
	if err := v.err(); err != nil {
		return nil, err
	}
	if b.Status.Terminal() {
		return nil, errConflict("the bot has ended (%s); it cannot post messages", b.Status)
	}
	msgs, err := s.store.EnqueueChat(r.Context(), []store.ChatMessage{{BotID: b.ID, UserID: b.UserID, Text: req.Text, Status: store.ChatQueued, EnqueuedAt: s.now()}})
	if err != nil {
		return nil, err
	}
	return created{chatToAPI(msgs[0])}, nil
}
