package daemon

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// updateBot changes a bot until it is deployed. A new join time
// reschedules it: a bot that becomes due is admitted at once.
func (s *Server) updateBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	var req api.UpdateBotRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	patch, err := s.botPatch(req)
	if err != nil {
		return nil, err
	}
	if b.Status != api.StatusScheduled && b.Status != api.StatusQueued {
		return nil, errConflict("a %s bot can no longer be changed; only SCHEDULED and QUEUED bots can", b.Status)
	}
	b, err = s.store.UpdateBot(r.Context(), b.UserID, b.ID, patch)
	if errors.Is(err, store.ErrConflict) {
		return nil, errConflict("the bot was deployed meanwhile and can no longer be changed")
	}
	if err != nil {
		return nil, err
	}
	if b.Status == api.StatusScheduled {
		return s.admitIfDue(r.Context(), b)
	}
	s.publish(b)
	return s.botView(r.Context(), b), nil
}

func (s *Server) botPatch(req api.UpdateBotRequest) (store.BotPatch, error) {
	v := &validator{}
	p := store.BotPatch{DisplayName: req.DisplayName, ImageURL: req.ImageURL, CallbackURL: req.CallbackURL, Metadata: req.Metadata, Now: s.now()}
	if req.DisplayName != nil {
		v.check(*req.DisplayName != "", "displayName", "must not be empty")
		v.maxLen(*req.DisplayName, 255, "displayName")
	}
	if req.ImageURL != nil {
		validateHTTPURL(v, *req.ImageURL, "imageUrl")
	}
	if req.CallbackURL != nil {
		validateHTTPURL(v, *req.CallbackURL, "callbackUrl")
	}
	validateMetadata(v, req.Metadata)
	v.check(!(req.JoinNow && req.JoinAt != nil), "joinNow", "cannot be combined with joinAt")
	switch {
	case req.JoinNow:
		now := s.now()
		jp := &now
		p.JoinAt = &jp
	case req.JoinAt != nil:
		v.check(req.JoinAt.Before(s.now().Add(maxJoinAhead)), "joinAt", "must be within 90 days")
		jp := req.JoinAt
		p.JoinAt = &jp
	}
	if req.MaxDurationSeconds != nil {
		v.check(*req.MaxDurationSeconds >= 60 && *req.MaxDurationSeconds <= 86400, "maxDurationSeconds", "must be from 60 to 86400")
		d := time.Duration(*req.MaxDurationSeconds) * time.Second
		p.MaxDuration = &d
	}
	if req.AutomaticLeave != nil {
		al := *req.AutomaticLeave
		validateLeave(v, &al, "automaticLeave")
		sal := store.AutomaticLeave(al)
		p.AutomaticLeave = &sal
	}
	return p, v.err()
}

func (s *Server) deleteBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	if b.Status == api.StatusScheduled || b.Status == api.StatusQueued {
		if b, err = s.cancel(r.Context(), b); err != nil {
			return nil, err
		}
	}
	if !b.Status.Terminal() {
		return nil, errConflict("a %s bot is running; leave or cancel it first", b.Status)
	}
	if err := s.store.DeleteBot(r.Context(), b.UserID, b.ID); err != nil {
		return nil, err
	}
	return noContent{}, nil
}

func (s *Server) cancelBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	b, err = s.cancel(r.Context(), b)
	if err != nil {
		return nil, err
	}
	return s.botToAPI(b), nil
}

func (s *Server) leaveBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	b, err = s.leave(r.Context(), b)
	if err != nil {
		return nil, err
	}
	return s.botToAPI(b), nil
}

const maxBulk = 1000

// bulk applies op to each of the caller's bots named in the request and
// reports per bot; another user's id fails as not_found.
func (s *Server) bulk(op func(context.Context, store.Bot) (store.Bot, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		var req api.BulkRequest
		if err := decodeJSON(w, r, &req); err != nil {
			return nil, err
		}
		v := &validator{}
		v.check(len(req.BotIDs) >= 1 && len(req.BotIDs) <= maxBulk, "botIds", "must name 1 to %d bots", maxBulk)
		if err := v.err(); err != nil {
			return nil, err
		}
		out := api.BulkResult{Succeeded: []int64{}, Failed: []api.BulkFailure{}}
		userID := callerFrom(r.Context()).user.ID
		for _, id := range req.BotIDs {
			b, err := s.store.GetUserBot(r.Context(), userID, id)
			if err == nil {
				_, err = op(r.Context(), b)
			}
			if err != nil {
				pe := toProblem(errNotFoundIf(err, "bot"))
				out.Failed = append(out.Failed, api.BulkFailure{BotID: id, Code: pe.code, Error: pe.detail})
				continue
			}
			out.Succeeded = append(out.Succeeded, id)
		}
		return out, nil
	}
}

func (s *Server) setLogLevel(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	var req api.LogLevelRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v := &validator{}
	v.check(logLevels[req.LogLevel], "logLevel", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.store.SetLogLevel(r.Context(), b.UserID, b.ID, req.LogLevel); err != nil {
		return nil, err
	}
	b.LogLevel = req.LogLevel
	return s.botToAPI(b), nil
}
