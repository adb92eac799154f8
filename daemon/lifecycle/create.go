package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Create validates a new bot, counts it against the owner's daily quota
// and duplicate window, stores it and, unless it joins later than the
// schedule lead, admits it at once: the view says DEPLOYING, or QUEUED
// with a position. Over the owner's (or key's) concurrency cap the bot is
// refused with a concurrency_limit LimitError, or queued when the request
// asks.
func (s *Service) Create(ctx context.Context, c domain.Caller, req api.CreateBotRequest) (View, error) {
	owner := c.User
	lim, err := s.plans.Limits(ctx, owner)
	if err != nil {
		return View{}, err
	}
	b, err := s.newBot(req, owner.ID, lim)
	if err != nil {
		return View{}, err
	}
	now := s.now()
	due := !b.JoinAt.After(now.Add(s.cfg.ScheduleLead))
	refuse := due && !req.QueueAtConcurrencyLimit
	run := s.expectedRun(ctx, b, time.Duration(req.MaxDurationSeconds)*time.Second)
	nb := store.NewBot{Bot: b, DailyLimit: lim.DailyBots, DayStart: UTCDay(now), Now: now, APIKeyID: c.Key.ID,
		DedupKey: dedupKey(req), DedupWindow: dedupWindow(req, lim), RefuseOverCap: refuse,
		Reserve: s.reservation(ctx, b, run, req.BestEffort), LobbyNudgeAfter: time.Duration(req.LobbyNudgeAfterSeconds) * time.Second}
	if !due {
		if b, err = s.store.CreateBot(ctx, nb); err != nil {
			return View{}, s.capacityError(createError(err, nb.DedupWindow))
		}
		return s.AdmitIfDue(ctx, b)
	}
	// A bot due now is stored and admitted in one transaction, which
	// creates arriving together share (see createGroup).
	r, err := s.creates.run(ctx, s.store, store.CreateAdmit{New: nb, Admit: s.admitParams(ctx, store.AdmitParams{RefuseOverCap: refuse})})
	if err == nil && r.Err != nil && !r.AdmitFailed {
		err = r.Err // refused before its admission: nothing was stored
	}
	if err != nil {
		return View{}, s.capacityError(createError(err, nb.DedupWindow))
	}
	res, err := s.afterAdmit(ctx, r.Bot.ID, r.Result, r.Err)
	if err != nil {
		return View{}, createError(err, nb.DedupWindow)
	}
	return s.admittedView(ctx, res), nil
}

// createError turns the store's refusals of a new bot into the domain's.
func createError(err error, window time.Duration) error {
	var de *store.DuplicateError
	var ce *store.ConcurrencyLimitError
	switch {
	case errors.As(err, &de):
		return &domain.DuplicateError{BotID: de.BotID, Window: window.String()}
	case errors.As(err, &ce):
		return concurrencyLimit(ce)
	}
	return err
}

// concurrencyLimit is the LimitError of a bot its cap refused.
func concurrencyLimit(ce *store.ConcurrencyLimitError) error {
	whose := "your"
	if ce.Scope == "key" {
		whose = "this API key's"
	}
	return &domain.LimitError{Code: api.CodeConcurrencyLimit, Limit: ce.Limit, Current: ce.Running,
		Detail: fmt.Sprintf("%d of %s %d concurrent bots are running; retry when one ends, or create with queueAtConcurrencyLimit to wait in the queue", ce.Running, whose, ce.Limit)}
}

// UTCDay is the start of t's day in UTC, the day quotas count in.
func UTCDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// newBot validates a create request and builds the bot to store.
func (s *Service) newBot(req api.CreateBotRequest, userID int64, lim store.Limits) (store.Bot, error) {
	v := &domain.Validator{}
	now := s.now()
	validateMeeting(v, &req.Meeting)
	v.MaxLen(req.DisplayName, 255, "displayName")
	validateHTTPURL(v, req.ImageURL, "imageUrl")
	validateHTTPURL(v, req.CallbackURL, "callbackUrl")
	validateMetadata(v, req.Metadata)
	if req.JoinAt != nil {
		v.Check(req.JoinAt.Before(now.Add(maxJoinAhead)), "joinAt", "must be within 90 days")
	}
	if req.MaxDurationSeconds != 0 {
		validateDuration(v, req.MaxDurationSeconds, "maxDurationSeconds")
	}
	planMax := int64(lim.MaxBotDuration / time.Second)
	v.Check(planMax == 0 || req.MaxDurationSeconds <= planMax, "maxDurationSeconds", "must be at most %d on the %s plan", planMax, lim.Plan)
	v.MaxLen(req.DeduplicationKey, 255, "deduplicationKey")
	v.Check(req.QueueTimeoutSeconds >= 0 && req.QueueTimeoutSeconds <= 86400, "queueTimeoutSeconds", "must be from 0 to 86400")
	v.Check(req.Priority >= 0 && req.Priority <= 9, "priority", "must be from 0 (first) to 9")
	v.Check(req.LobbyNudgeAfterSeconds >= 0 && req.LobbyNudgeAfterSeconds <= 86400, "lobbyNudgeAfterSeconds", "must be from 1 to 86400 (0: the default, 60)")
	v.Check(req.LogLevel == "" || logLevels[req.LogLevel], "logLevel", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
	leave := leaveFloors
	if req.AutomaticLeave != nil {
		leave = *req.AutomaticLeave
		validateLeave(v, &leave, "automaticLeave")
	}
	if err := v.Err(); err != nil {
		return store.Bot{}, err
	}
	m := req.Meeting
	b := store.Bot{
		UserID: userID, DisplayName: orDefault(req.DisplayName, "Meeboter"), ImageURL: req.ImageURL,
		Meeting: store.Meeting{URL: m.MeetingURL, Platform: m.Platform, MeetingID: m.MeetingID, Password: m.MeetingPassword,
			OrganizerID: m.OrganizerID, TenantID: m.TenantID, MessageID: m.MessageID, ThreadID: m.ThreadID},
		JoinAt:      req.JoinAt,
		MaxDuration: time.Duration(req.MaxDurationSeconds) * time.Second, AutomaticLeave: store.AutomaticLeave(leave),
		RecordingEnabled: req.RecordingEnabled, Status: api.StatusScheduled, LogLevel: orDefault(req.LogLevel, "INFO"),
		CallbackURL: req.CallbackURL, Metadata: req.Metadata, Priority: req.Priority,
		QueueTimeout: time.Duration(req.QueueTimeoutSeconds) * time.Second,
	}
	if b.MaxDuration == 0 {
		b.MaxDuration = s.cfg.MaxBotDuration
		if lim.MaxBotDuration > 0 {
			b.MaxDuration = min(b.MaxDuration, lim.MaxBotDuration)
		}
	}
	if b.QueueTimeout == 0 {
		b.QueueTimeout = s.cfg.QueueTimeout
	}
	if b.JoinAt == nil || b.JoinAt.Before(now) {
		b.JoinAt = &now
	}
	return b, nil
}
