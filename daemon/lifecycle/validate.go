package lifecycle

import (
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
)

// The floors of the automatic leave timeouts, in milliseconds, as the
// original server applied them on create (and, unlike it, on update too).
var leaveFloors = api.AutomaticLeave{WaitingRoomTimeout: 600_000, NoOneJoinedTimeout: 60_000, EveryoneLeftTimeout: 60_000, InactivityTimeout: 300_000}

// metadataKey is the pattern of a metadata key, 1-64 characters long.
// The length is checked apart from the pattern: a counted repetition
// ({1,64}) compiles to one copy of its class per count, tens of KB built
// at every start.
var metadataKey = regexp.MustCompile(`^[A-Za-z0-9_.\-/]+$`)

// maxJoinAhead bounds how far ahead a bot may be scheduled.
const maxJoinAhead = 90 * 24 * time.Hour

// validateMeeting checks the meeting and derives its platform from the URL.
func validateMeeting(v *domain.Validator, m *api.Meeting) {
	detected, err := api.DetectMeetingPlatform(m.MeetingURL)
	switch {
	case m.MeetingURL == "":
		v.Check(false, "meeting.meetingUrl", "is required")
	case err != nil:
		v.Check(false, "meeting.meetingUrl", "%v", err)
	case m.Platform != "" && m.Platform != detected:
		v.Check(false, "meeting.platform", "is %q but the URL is a %s meeting", m.Platform, detected)
	default:
		m.Platform = detected
	}
	for field, val := range map[string]string{"meeting.meetingId": m.MeetingID, "meeting.meetingPassword": m.MeetingPassword,
		"meeting.organizerId": m.OrganizerID, "meeting.tenantId": m.TenantID, "meeting.messageId": m.MessageID, "meeting.threadId": m.ThreadID} {
		v.MaxLen(val, 255, field)
	}
}

func validateHTTPURL(v *domain.Validator, raw, field string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Hostname() != "" && validPort(u.Port()) && len(raw) <= 1024,
		field, "must be an http(s) URL of at most 1024 bytes, with a port from 1 to 65535 if any")
}

func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

func validateMetadata(v *domain.Validator, md map[string]string) {
	v.Check(len(md) <= 50, "metadata", "may hold at most 50 keys")
	for k, val := range md {
		v.Check(len(k) <= 64 && metadataKey.MatchString(k), "metadata."+k, "keys are 1-64 characters of letters, digits, and _ . - /")
		v.MaxLen(val, 512, "metadata."+k)
	}
}

func validateLeave(v *domain.Validator, al *api.AutomaticLeave, field string) {
	for name, ms := range map[string]int64{"waitingRoomTimeout": al.WaitingRoomTimeout, "noOneJoinedTimeout": al.NoOneJoinedTimeout,
		"everyoneLeftTimeout": al.EveryoneLeftTimeout, "inactivityTimeout": al.InactivityTimeout} {
		v.Check(ms >= 0 && ms <= 24*3600*1000, field+"."+name, "must be from 0 to 86400000 milliseconds")
	}
	al.WaitingRoomTimeout = max(al.WaitingRoomTimeout, leaveFloors.WaitingRoomTimeout)
	al.NoOneJoinedTimeout = max(al.NoOneJoinedTimeout, leaveFloors.NoOneJoinedTimeout)
	al.EveryoneLeftTimeout = max(al.EveryoneLeftTimeout, leaveFloors.EveryoneLeftTimeout)
	al.InactivityTimeout = max(al.InactivityTimeout, leaveFloors.InactivityTimeout)
}

func validateDuration(v *domain.Validator, secs int64, field string) {
	v.Check(secs >= 60 && secs <= 86400, field, "must be from 60 to 86400")
}
