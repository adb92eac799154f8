package daemon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// createBot stores a bot and, unless it joins later than the schedule lead,
// admits it in the same request: the answer says DEPLOYING or QUEUED with
// a position.
func (s *Server) createBot(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.CreateBotRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	c := callerFrom(r.Context())
	b, err := s.newBotFromRequest(req, c.user.ID)
	if err != nil {
		return nil, err
	}
	limit, err := s.dailyLimit(r.Context(), c.user)
	if err != nil {
		return nil, err
	}
	now := s.now()
	b, err = s.store.CreateBot(r.Context(), store.NewBot{Bot: b, DailyLimit: limit, DayStart: utcDay(now), Now: now})
	if err != nil {
		return nil, err
	}
	view, err := s.admitIfDue(r.Context(), b)
	if err != nil {
		return nil, err
	}
	return created{view}, nil
}

// admitIfDue admits a bot whose join time is within the schedule lead and
// returns its view; a later bot stays SCHEDULED for the scheduler.
func (s *Server) admitIfDue(ctx context.Context, b store.Bot) (api.Bot, error) {
	if b.JoinAt != nil && b.JoinAt.After(s.now().Add(s.cfg.ScheduleLead)) {
		s.publish(b)
		return s.botToAPI(b), nil
	}
	res, err := s.admit(ctx, b.ID)
	if err != nil {
		return api.Bot{}, err
	}
	if !res.Queued || res.Position == 0 {
		return s.botView(ctx, res.Bot), nil
	}
	view := s.botToAPI(res.Bot)
	view.QueuePosition = res.Position
	view.EstimatedWaitSeconds = s.estimateWait(ctx, res.Position)
	return view, nil
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ownedBot loads a bot of the caller; any other bot is a 404.
func (s *Server) ownedBot(r *http.Request) (store.Bot, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Bot{}, err
	}
	b, err := s.store.GetUserBot(r.Context(), callerFrom(r.Context()).user.ID, id)
	if err != nil {
		return b, errNotFoundIf(err, "bot")
	}
	return b, nil
}

func errNotFoundIf(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound(what)
	}
	return err
}

func (s *Server) getBot(w http.ResponseWriter, r *http.Request) (any, error) {
	b, err := s.ownedBot(r)
	if err != nil {
		return nil, err
	}
	return s.botView(r.Context(), b), nil
}

// botView adds the queue position and wait estimate of a queued bot.
func (s *Server) botView(ctx context.Context, b store.Bot) api.Bot {
	view := s.botToAPI(b)
	if b.Status != api.StatusQueued {
		return view
	}
	entries, err := s.store.ListQueue(ctx, b.UserID)
	if err != nil {
		return view
	}
	for _, e := range entries {
		if e.BotID == b.ID {
			view.QueuePosition = e.Position
			view.EstimatedWaitSeconds = s.estimateWait(ctx, e.Position)
		}
	}
	return view
}

// estimateWait guesses how long the bot at position waits.
func (s *Server) estimateWait(ctx context.Context, position int) int64 {
	return s.waitEstimator(ctx)(position)
}

// waitEstimator returns an estimate of the wait at each queue position: the
// capacity frees in waves of the total limit, each as long as the mean
// observed run time of recent bots (or the maximum duration when none has
// ended yet). The mean is read once, for a whole listing.
func (s *Server) waitEstimator(ctx context.Context) func(position int) int64 {
	total := 0
	for _, p := range s.order {
		total += p.Limit
	}
	avg, err := s.store.AvgRunTime(ctx, 50)
	if err != nil || avg <= 0 {
		avg = s.cfg.MaxBotDuration
	}
	secs := int64(avg.Seconds())
	return func(position int) int64 {
		if total == 0 {
			return secs * int64(position)
		}
		return secs * int64((position+total-1)/total)
	}
}

func (s *Server) listBots(w http.ResponseWriter, r *http.Request) (any, error) {
	f, err := botFilterFrom(r, callerFrom(r.Context()).user.ID)
	if err != nil {
		return nil, err
	}
	bots, err := s.store.ListBots(r.Context(), f)
	if err != nil {
		return nil, err
	}
	return api.List[api.Bot]{
		Items:      mapSlice(bots, s.botToAPI),
		NextCursor: nextCursor(bots, f.Limit, func(b store.Bot) int64 { return b.ID }),
	}, nil
}

func botFilterFrom(r *http.Request, userID int64) (store.BotFilter, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return store.BotFilter{}, err
	}
	q := r.URL.Query()
	v := &validator{}
	f := store.BotFilter{UserID: userID, BeforeID: page.BeforeID, Limit: page.Limit, MeetingPlatform: q.Get("meetingPlatform"), Metadata: map[string]string{}}
	for _, st := range q["status"] {
		v.check(api.BotStatus(st).Valid(), "status", "%q is not a bot status", st)
		f.Statuses = append(f.Statuses, api.BotStatus(st))
	}
	for _, kv := range q["metadata"] {
		k, val, ok := strings.Cut(kv, "=")
		v.check(ok && k != "", "metadata", "filters are key=value, got %q", kv)
		f.Metadata[k] = val
	}
	f.CreatedFrom = parseTimeParam(v, q.Get("createdFrom"), "createdFrom")
	f.CreatedTo = parseTimeParam(v, q.Get("createdTo"), "createdTo")
	return f, v.err()
}

func parseTimeParam(v *validator, raw, field string) *time.Time {
	if raw == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	v.check(err == nil, field, "must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
	return &t
}
