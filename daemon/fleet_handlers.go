package daemon

import (
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// listQueue lists the caller's queued bots with their global positions and
// estimated waits (admins see the whole queue).
func (s *Server) listQueue(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	scope := c.user.ID
	if c.admin() {
		scope = 0
	}
	entries, err := s.store.ListQueue(r.Context(), scope)
	if err != nil {
		return nil, err
	}
	items := make([]api.QueueEntry, 0, len(entries))
	wait := s.waitEstimator(r.Context())
	for _, e := range entries {
		qe := api.QueueEntry{BotID: e.BotID, Position: e.Position, Priority: e.Priority, QueuedAt: e.QueuedAt, TimeoutAt: e.TimeoutAt,
			EstimatedWaitSeconds: wait(e.Position)}
		if b, err := s.store.GetBot(r.Context(), e.BotID); err == nil {
			qe.DisplayName, qe.MeetingPlatform = b.DisplayName, b.Meeting.Platform
		}
		items = append(items, qe)
	}
	return api.List[api.QueueEntry]{Items: items}, nil
}

// poolStatus reports (today's counts cover bots created today, up to 500 each)
// poolStatus reports capacity per platform in admission order. Capacity is
// shared by every user, so every user sees it; status counts are the
// caller's own (the whole fleet's for admins).
func (s *Server) poolStatus(w http.ResponseWriter, r *http.Request) (any, error) {
	ctx := r.Context()
	used, err := s.store.CapacityUsed(ctx)
	if err != nil {
		return nil, err
	}
	out := api.PoolStatus{Platforms: []api.PlatformCapacity{}}
	for _, p := range s.order {
		out.Platforms = append(out.Platforms, api.PlatformCapacity{Name: p.Name, Used: used[p.Name], Limit: p.Limit, Free: max(0, p.Limit-used[p.Name])})
	}
	queue, err := s.store.ListQueue(ctx, 0)
	if err != nil {
		return nil, err
	}
	out.Queued = len(queue)
	if len(queue) > 0 {
		oldest := queue[0].QueuedAt
		for _, e := range queue {
			if e.QueuedAt.Before(oldest) {
				oldest = e.QueuedAt
			}
		}
		out.OldestQueued = &oldest
	}
	c := callerFrom(ctx)
	scope := c.user.ID
	if c.admin() {
		scope = 0
	}
	if out.StatusCounts, err = s.store.StatusCounts(ctx, scope); err != nil {
		return nil, err
	}
	out.Today, err = s.todayCounts(r, c.user.ID)
	return out, err
}

func (s *Server) todayCounts(r *http.Request, userID int64) (api.DayCounts, error) {
	var dc api.DayCounts
	day := utcDay(s.now())
	spans, err := s.store.BotSpans(r.Context(), userID, day, day.Add(24*time.Hour))
	if err != nil {
		return dc, err
	}
	for _, sp := range spans {
		if sp.StartedAt != nil && !sp.StartedAt.Before(day) {
			dc.Started++
		}
	}
	for _, st := range []api.BotStatus{api.StatusDone, api.StatusFatal} {
		bots, err := s.store.ListBots(r.Context(), store.BotFilter{UserID: userID, Statuses: []api.BotStatus{st}, CreatedFrom: &day, Limit: maxLimit})
		if err != nil {
			return dc, err
		}
		if st == api.StatusDone {
			dc.Done = len(bots)
		} else {
			dc.Failed = len(bots)
		}
	}
	return dc, nil
}

func (s *Server) listSlots(w http.ResponseWriter, r *http.Request) (any, error) {
	slots, err := s.store.ListPoolSlots(r.Context(), "")
	if err != nil {
		return nil, err
	}
	conv := func(sl store.PoolSlot) api.PoolSlot {
		return api.PoolSlot{ID: sl.ID, Platform: sl.Platform, MeetingPlatform: sl.MeetingPlatform, Name: sl.Name, Status: sl.Status, BotID: sl.AssignedBotID, LastUsedAt: sl.LastUsedAt, Error: sl.ErrorMessage}
	}
	return api.List[api.PoolSlot]{Items: mapSlice(slots, conv)}, nil
}
