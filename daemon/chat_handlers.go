package daemon

import (
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// broadcast queues one message per named bot, choosing the text per bot,
// and reports which bots could not take it (not found, or ended).
func (s *Server) broadcast(r *http.Request, botIDs []int64, text func() (string, *int64)) (api.BulkResult, error) {
	out := api.BulkResult{Succeeded: []int64{}, Failed: []api.BulkFailure{}}
	userID := callerFrom(r.Context()).user.ID
	var msgs []store.ChatMessage
	for _, id := range botIDs {
		b, err := s.store.GetUserBot(r.Context(), userID, id)
		switch {
		case err != nil:
			pe := toProblem(errNotFoundIf(err, "bot"))
			out.Failed = append(out.Failed, api.BulkFailure{BotID: id, Code: pe.code, Error: pe.detail})
		case b.Status.Terminal():
			out.Failed = append(out.Failed, api.BulkFailure{BotID: id, Code: api.CodeConflict, Error: "the bot has ended"})
		default:
			t, tmpl := text()
			msgs = append(msgs, store.ChatMessage{BotID: id, UserID: userID, TemplateID: tmpl, Text: t, Status: store.ChatQueued, EnqueuedAt: s.now()})
			out.Succeeded = append(out.Succeeded, id)
		}
	}
	if len(msgs) > 0 {
		if _, err := s.store.EnqueueChat(r.Context(), msgs); err != nil {
			return out, err
		}
	}
	return out, nil
}

func validateBotIDs(v *validator, ids []int64) {
	v.check(len(ids) >= 1 && len(ids) <= maxBulk, "botIds", "must name 1 to %d bots", maxBulk)
}

func (s *Server) broadcastChat(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.BroadcastChatRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v := &validator{}
	validateBotIDs(v, req.BotIDs)
	validateChatText(v, req.Text, "text")
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.broadcast(r, req.BotIDs, func() (string, *int64) { return req.Text, nil })
}

func validateTemplate(req api.TemplateRequest) error {
	v := &validator{}
	v.check(req.Name != "", "name", "is required")
	v.maxLen(req.Name, 255, "name")
	v.check(len(req.Messages) >= 1 && len(req.Messages) <= 100, "messages", "must hold 1 to 100 messages")
	for i, m := range req.Messages {
		validateChatText(v, m, "messages["+strconv.Itoa(i)+"]")
	}
	return v.err()
}

func (s *Server) createTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.TemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	if err := validateTemplate(req); err != nil {
		return nil, err
	}
	now := s.now()
	t, err := s.store.CreateTemplate(r.Context(), store.Template{UserID: callerFrom(r.Context()).user.ID, Name: req.Name, Messages: req.Messages, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		return nil, err
	}
	return created{templateToAPI(t)}, nil
}

func (s *Server) ownedTemplate(r *http.Request) (store.Template, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Template{}, err
	}
	t, err := s.store.GetTemplate(r.Context(), callerFrom(r.Context()).user.ID, id)
	if err != nil {
		return t, errNotFoundIf(err, "template")
	}
	return t, nil
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := s.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	return templateToAPI(t), nil
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) (any, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	ts, err := s.store.ListTemplates(r.Context(), callerFrom(r.Context()).user.ID, page)
	if err != nil {
		return nil, err
	}
	return api.List[api.Template]{Items: mapSlice(ts, templateToAPI), NextCursor: nextCursor(ts, page.Limit, func(t store.Template) int64 { return t.ID })}, nil
}

func (s *Server) updateTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := s.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	var req api.TemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	if err := validateTemplate(req); err != nil {
		return nil, err
	}
	t.Name, t.Messages, t.UpdatedAt = req.Name, req.Messages, s.now()
	if t, err = s.store.UpdateTemplate(r.Context(), t); err != nil {
		return nil, err
	}
	return templateToAPI(t), nil
}

func (s *Server) deleteTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := s.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteTemplate(r.Context(), t.UserID, t.ID); err != nil {
		return nil, err
	}
	return noContent{}, nil
}

func (s *Server) sendTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := s.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	var req api.SendTemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v := &validator{}
	validateBotIDs(v, req.BotIDs)
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.broadcast(r, req.BotIDs, func() (string, *int64) { return t.Messages[rand.IntN(len(t.Messages))], &t.ID })
}
