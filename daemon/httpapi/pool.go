package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// Managing the Coolify pool's slots is for admins: the pool is shared by
// every user. Members get 404, as for every admin route.

func slotView(sl store.PoolSlot) api.PoolSlot {
	return api.PoolSlot{ID: sl.ID, Platform: sl.Platform, MeetingPlatform: sl.MeetingPlatform, Name: sl.Name, Status: sl.Status,
		BotID: sl.AssignedBotID, LastUsedAt: sl.LastUsedAt, Error: sl.ErrorMessage}
}

func (a *API) createSlots(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := callerFrom(r.Context()).RequireAdmin(); err != nil {
		return nil, err
	}
	var req api.CreateSlotsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	slots, err := a.svc.Life.CreateSlots(r.Context(), req.MeetingPlatform, req.Count)
	if err != nil {
		return nil, err
	}
	return created{api.List[api.PoolSlot]{Items: wire.Map(slots, slotView)}}, nil
}

func (a *API) deleteSlot(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := callerFrom(r.Context()).RequireAdmin(); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if err := a.svc.Life.DeleteSlot(r.Context(), id); err != nil {
		return nil, err
	}
	return noContent{}, nil
}

func (a *API) syncPool(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := callerFrom(r.Context()).RequireAdmin(); err != nil {
		return nil, err
	}
	rep, err := a.svc.Life.SyncSlots(r.Context())
	if err != nil {
		return nil, err
	}
	return syncView(rep), nil
}

func syncView(rep lifecycle.SyncReport) api.PoolSyncResult {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return api.PoolSyncResult{Apps: rep.Apps, Slots: rep.Slots, Deleted: nonNil(rep.Deleted), Forgotten: nonNil(rep.Forgotten), Removed: nonNil(rep.Removed)}
}
