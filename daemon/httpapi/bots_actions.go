package httpapi

import (
	"context"
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

func (a *API) updateBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	var req api.UpdateBotRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v, err := a.svc.Life.Update(r.Context(), b, req)
	if err != nil {
		return nil, err
	}
	return botView(v), nil
}

func (a *API) deleteBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	if err := a.svc.Life.Delete(r.Context(), b); err != nil {
		return nil, err
	}
	return noContent{}, nil
}

// botAction answers a one-bot action with the bot's new state.
func (a *API) botAction(op func(context.Context, store.Bot) (store.Bot, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		b, err := a.ownedBot(r)
		if err != nil {
			return nil, err
		}
		if b, err = op(r.Context(), b); err != nil {
			return nil, err
		}
		return wire.Bot(b), nil
	}
}

func (a *API) cancelBot(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.botAction(a.svc.Life.Cancel)(w, r)
}

func (a *API) leaveBot(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.botAction(a.svc.Life.Leave)(w, r)
}

// bulk applies op to each of the caller's bots named in the request and
// reports per bot; another user's id fails as not_found.
func (a *API) bulk(op func(context.Context, store.Bot) (store.Bot, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		var req api.BulkRequest
		if err := decodeJSON(w, r, &req); err != nil {
			return nil, err
		}
		ok, failed, err := a.svc.Life.Bulk(r.Context(), callerFrom(r.Context()).User.ID, req.BotIDs, op)
		if err != nil {
			return nil, err
		}
		out := api.BulkResult{Succeeded: ok, Failed: []api.BulkFailure{}}
		for _, f := range failed {
			out.Failed = append(out.Failed, bulkFailure(f.BotID, f.Err))
		}
		return out, nil
	}
}

func bulkFailure(botID int64, err error) api.BulkFailure {
	pe := problemFor(err)
	return api.BulkFailure{BotID: botID, Code: pe.code, Error: pe.detail}
}

func (a *API) setLogLevel(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	var req api.LogLevelRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	if b, err = a.svc.Life.SetLogLevel(r.Context(), b, req.LogLevel); err != nil {
		return nil, err
	}
	return wire.Bot(b), nil
}
