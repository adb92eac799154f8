package lifecycle

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Create validates a new bot, counts it against the owner's daily quota,
// stores it and, unless it joins later than the schedule lead, admits it
// at once: the view says DEPLOYING, or QUEUED with a position.
func (s *Service) Create(ctx context.Context, owner store.User, req api.CreateBotRequest) (View, error) {
	b, err := s.newBot(req, owner.ID)
	if err != nil {
		return View{}, err
	}
	limit, err := s.plans.DailyLimit(ctx, owner)
	if err != nil {
		return View{}, err
	}
	now := s.now()
	run := s.expectedRun(ctx, b, time.Duration(req.MaxDurationSeconds)*time.Second)
	b, err = s.store.CreateBot(ctx, store.NewBot{Bot: b, DailyLimit: limit, DayStart: UTCDay(now), Now: now,
		Reserve: s.reservation(ctx, b, run, req.BestEffort), LobbyNudgeAfter: time.Duration(req.LobbyNudgeAfterSeconds) * time.Second})
	if err != nil {
		return View{}, s.capacityError(err)
	}
	return s.AdmitIfDue(ctx, b)
}

// UTCDay is the start of t's day in UTC, the day quotas count in.
func UTCDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// newBot validates a create request and builds the bot to store.
func (s *Service) newBot(req api.CreateBotRequest, userID int64) (store.Bot, error) {
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
	}
	if b.QueueTimeout == 0 {
		b.QueueTimeout = s.cfg.QueueTimeout
	}
	if b.JoinAt == nil || b.JoinAt.Before(now) {
		b.JoinAt = &now
	}
	return b, nil
}
