package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/chat"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// sendChat queues a message for one bot.
func (a *API) sendChat(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	var req api.SendChatRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	m, err := a.svc.Chat.Send(r.Context(), b, req.Text)
	if err != nil {
		return nil, err
	}
	return created{wire.Chat(m)}, nil
}

func bulkResult(ok []int64, failed []chat.Failure, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := api.BulkResult{Succeeded: ok, Failed: []api.BulkFailure{}}
	for _, f := range failed {
		out.Failed = append(out.Failed, bulkFailure(f.BotID, f.Err))
	}
	return out, nil
}

func (a *API) broadcastChat(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.BroadcastChatRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	return bulkResult(a.svc.Chat.Broadcast(r.Context(), callerFrom(r.Context()).User.ID, req.BotIDs, req.Text))
}

func (a *API) createTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.TemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	t, err := a.svc.Chat.CreateTemplate(r.Context(), callerFrom(r.Context()).User.ID, req.Name, req.Messages)
	if err != nil {
		return nil, err
	}
	return created{wire.Template(t)}, nil
}

func (a *API) ownedTemplate(r *http.Request) (store.Template, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Template{}, err
	}
	return a.svc.Chat.Template(r.Context(), callerFrom(r.Context()).User.ID, id)
}

func (a *API) getTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := a.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	return wire.Template(t), nil
}

func (a *API) listTemplates(w http.ResponseWriter, r *http.Request) (any, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	ts, err := a.svc.Chat.Templates(r.Context(), callerFrom(r.Context()).User.ID, page)
	if err != nil {
		return nil, err
	}
	return api.List[api.Template]{Items: wire.Map(ts, wire.Template), NextCursor: nextCursor(ts, page.Limit, func(t store.Template) int64 { return t.ID })}, nil
}

func (a *API) updateTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := a.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	var req api.TemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	if t, err = a.svc.Chat.UpdateTemplate(r.Context(), t, req.Name, req.Messages); err != nil {
		return nil, err
	}
	return wire.Template(t), nil
}

func (a *API) deleteTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := a.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	if err := a.svc.Chat.DeleteTemplate(r.Context(), t); err != nil {
		return nil, err
	}
	return noContent{}, nil
}

func (a *API) sendTemplate(w http.ResponseWriter, r *http.Request) (any, error) {
	t, err := a.ownedTemplate(r)
	if err != nil {
		return nil, err
	}
	var req api.SendTemplateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	return bulkResult(a.svc.Chat.SendTemplate(r.Context(), t, req.BotIDs))
}
