package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// botView is a bot on the wire, with its queue position when queued.
func botView(v lifecycle.View) api.Bot {
	out := wire.Bot(v.Bot)
	out.QueuePosition = v.QueuePosition
	out.EstimatedWaitSeconds = int64(v.EstimatedWait.Seconds())
	if r := v.Reservation; r != nil {
		out.Reservation = &api.Reservation{Platform: r.Platform, StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC()}
	}
	return out
}

func (a *API) createBot(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.CreateBotRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v, err := a.svc.Life.Create(r.Context(), callerFrom(r.Context()), req)
	if err != nil {
		return nil, err
	}
	return created{botView(v)}, nil
}

// ownedBot loads the {id} bot of the caller; any other bot is a 404.
func (a *API) ownedBot(r *http.Request) (store.Bot, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Bot{}, err
	}
	return a.svc.Life.Owned(r.Context(), callerFrom(r.Context()).User.ID, id)
}

func (a *API) getBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := a.ownedBot(r)
	if err != nil {
		return nil, err
	}
	return botJSON(botView(a.svc.Life.View(r.Context(), b))), nil
}

func (a *API) listBots(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := botFilterFrom(r, callerFrom(r.Context()).User.ID)
	if err != nil {
		return nil, err
	}
	bots, err := a.svc.Life.List(r.Context(), f)
	if err != nil {
		return nil, err
	}
	return botListJSON(api.List[api.Bot]{
		Items:      wire.Map(bots, wire.Bot),
		NextCursor: nextCursor(bots, f.Limit, func(b store.Bot) int64 { return b.ID }),
	}), nil
}

func botFilterFrom(r *http.Request, userID int64) (store.BotFilter, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return store.BotFilter{}, err
	}
	q := r.URL.Query()
	v := &domain.Validator{}
	f := store.BotFilter{UserID: userID, BeforeID: page.BeforeID, Limit: page.Limit, MeetingPlatform: q.Get("meetingPlatform"), Metadata: map[string]string{}}
	if mp := f.MeetingPlatform; mp != "" {
		v.Check(mp == api.MeetingGoogleMeet || mp == api.MeetingMicrosoftTeams || mp == api.MeetingZoom,
			"meetingPlatform", "must be google-meet, microsoft-teams or zoom")
	}
	for _, st := range q["status"] {
		v.Check(api.BotStatus(st).Valid(), "status", "%q is not a bot status", st)
		f.Statuses = append(f.Statuses, api.BotStatus(st))
	}
	for _, kv := range q["metadata"] {
		k, val, ok := strings.Cut(kv, "=")
		v.Check(ok && k != "", "metadata", "filters are key=value, got %q", kv)
		f.Metadata[k] = val
	}
	f.CreatedFrom = parseTimeParam(v, q.Get("createdFrom"), "createdFrom")
	f.CreatedTo = parseTimeParam(v, q.Get("createdTo"), "createdTo")
	return f, v.Err()
}

func parseTimeParam(v *domain.Validator, raw, field string) *time.Time {
	if raw == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	v.Check(err == nil, field, "must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
	return &t
}
