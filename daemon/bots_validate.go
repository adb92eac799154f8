package daemon

import (
	"net/url"
	"regexp"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// The floors of the automatic leave timeouts, in milliseconds, as the
// original server applied them on create (and, unlike it, on update too).
var leaveFloors = api.AutomaticLeave{WaitingRoomTimeout: 600_000, NoOneJoinedTimeout: 60_000, EveryoneLeftTimeout: 60_000, InactivityTimeout: 300_000}

var (
	metadataKey = regexp.MustCompile(`^[A-Za-z0-9_.\-/]{1,64}$`)
	logLevels   = map[string]bool{"TRACE": true, "DEBUG": true, "INFO": true, "WARN": true, "ERROR": true, "FATAL": true}
)

const maxJoinAhead = 90 * 24 * time.Hour

// validateMeeting checks the meeting and derives its platform from the URL.
func validateMeeting(v *validator, m *api.Meeting) {
	detected, err := api.DetectMeetingPlatform(m.MeetingURL)
	switch {
	case m.MeetingURL == "":
		v.check(false, "meeting.meetingUrl", "is required")
	case err != nil:
		v.check(false, "meeting.meetingUrl", "%v", err)
	case m.Platform != "" && m.Platform != detected:
		v.check(false, "meeting.platform", "is %q but the URL is a %s meeting", m.Platform, detected)
	default:
		m.Platform = detected
	}
	for field, val := range map[string]string{"meeting.meetingId": m.MeetingID, "meeting.meetingPassword": m.MeetingPassword,
		"meeting.organizerId": m.OrganizerID, "meeting.tenantId": m.TenantID, "meeting.messageId": m.MessageID, "meeting.threadId": m.ThreadID} {
		v.maxLen(val, 255, field)
	}
}

func validateHTTPURL(v *validator, raw, field string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	v.check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(raw) <= 1024, field, "must be an http(s) URL of at most 1024 bytes")
}

func validateMetadata(v *validator, md map[string]string) {
	v.check(len(md) <= 50, "metadata", "may hold at most 50 keys")
	for k, val := range md {
		v.check(metadataKey.MatchString(k), "metadata."+k, "keys are 1-64 characters of letters, digits, and _ . - /")
		v.maxLen(val, 512, "metadata."+k)
	}
}

func validateLeave(v *validator, al *api.AutomaticLeave, field string) {
	for name, ms := range map[string]int64{"waitingRoomTimeout": al.WaitingRoomTimeout, "noOneJoinedTimeout": al.NoOneJoinedTimeout,
		"everyoneLeftTimeout": al.EveryoneLeftTimeout, "inactivityTimeout": al.InactivityTimeout} {
		v.check(ms >= 0 && ms <= 24*3600*1000, field+"."+name, "must be from 0 to 86400000 milliseconds")
	}
	al.WaitingRoomTimeout = max(al.WaitingRoomTimeout, leaveFloors.WaitingRoomTimeout)
	al.NoOneJoinedTimeout = max(al.NoOneJoinedTimeout, leaveFloors.NoOneJoinedTimeout)
	al.EveryoneLeftTimeout = max(al.EveryoneLeftTimeout, leaveFloors.EveryoneLeftTimeout)
	al.InactivityTimeout = max(al.InactivityTimeout, leaveFloors.InactivityTimeout)
}

// newBotFromRequest validates a create request and builds the bot to store.
func (s *Server) newBotFromRequest(req api.CreateBotRequest, userID int64) (store.Bot, error) {
	v := &validator{}
	now := s.now()
	validateMeeting(v, &req.Meeting)
	v.maxLen(req.DisplayName, 255, "displayName")
	validateHTTPURL(v, req.ImageURL, "imageUrl")
	validateHTTPURL(v, req.CallbackURL, "callbackUrl")
	validateMetadata(v, req.Metadata)
	if req.JoinAt != nil {
		v.check(req.JoinAt.Before(now.Add(maxJoinAhead)), "joinAt", "must be within 90 days")
	}
	v.check(req.MaxDurationSeconds == 0 || (req.MaxDurationSeconds >= 60 && req.MaxDurationSeconds <= 86400), "maxDurationSeconds", "must be from 60 to 86400")
	v.check(req.QueueTimeoutSeconds >= 0 && req.QueueTimeoutSeconds <= 86400, "queueTimeoutSeconds", "must be from 0 to 86400")
	v.check(req.Priority >= 0 && req.Priority <= 9, "priority", "must be from 0 (first) to 9")
	v.check(req.LogLevel == "" || logLevels[req.LogLevel], "logLevel", "must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL")
	leave := leaveFloors
	if req.AutomaticLeave != nil {
		leave = *req.AutomaticLeave
		validateLeave(v, &leave, "automaticLeave")
	}
	if err := v.err(); err != nil {
		return store.Bot{}, err
	}
	b := store.Bot{
		UserID: userID, DisplayName: orDefault(req.DisplayName, "Meeboter"), ImageURL: req.ImageURL,
		Meeting:     store.Meeting{URL: req.Meeting.MeetingURL, Platform: req.Meeting.Platform, MeetingID: req.Meeting.MeetingID, Password: req.Meeting.MeetingPassword, OrganizerID: req.Meeting.OrganizerID, TenantID: req.Meeting.TenantID, MessageID: req.Meeting.MessageID, ThreadID: req.Meeting.ThreadID},
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

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
