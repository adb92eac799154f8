package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/wire"
)

// listQueue lists the caller's queued bots with their global positions and
// estimated waits (admins see the whole queue).
func (a *API) listQueue(w http.ResponseWriter, r *http.Request) (any, error) {
	items, err := a.svc.Life.Queue(r.Context(), callerFrom(r.Context()).Scope())
	if err != nil {
		return nil, err
	}
	return api.List[api.QueueEntry]{Items: wire.Map(items, func(q lifecycle.QueueItem) api.QueueEntry {
		return api.QueueEntry{BotID: q.BotID, Position: q.Position, Priority: q.Priority, QueuedAt: q.QueuedAt, TimeoutAt: q.TimeoutAt,
			EstimatedWaitSeconds: int64(q.EstimatedWait.Seconds()), DisplayName: q.DisplayName, MeetingPlatform: q.MeetingPlatform}
	})}, nil
}

// poolStatus reports capacity per platform, the queue and bot counts.
func (a *API) poolStatus(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	return a.svc.Life.Pool(r.Context(), c.Scope(), c.User.ID)
}

func (a *API) listSlots(w http.ResponseWriter, r *http.Request) (any, error) {
	slots, err := a.svc.Life.Slots(r.Context())
	if err != nil {
		return nil, err
	}
	return api.List[api.PoolSlot]{Items: wire.Map(slots, slotView)}, nil
}
