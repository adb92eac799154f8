package lifecycle

import (
	"net/url"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// defaultDedupWindow is the window a deduplicationKey applies in for a
// user who set none, as Meeting BaaS deduplicates for five minutes.
const defaultDedupWindow = 5 * time.Minute

// dedupKey names the meeting a create is for: the request's
// deduplicationKey, else the meeting URL in a normal form (so the same
// call reached through another link form is the same meeting), else the
// platform and meeting id.
func dedupKey(req api.CreateBotRequest) string {
	if req.DeduplicationKey != "" {
		return "key:" + req.DeduplicationKey
	}
	m := req.Meeting
	if m.MeetingURL == "" {
		return "id:" + m.Platform + ":" + m.MeetingID
	}
	return "url:" + normalMeetingURL(m.MeetingURL)
}

// normalMeetingURL keeps what identifies a call: the host without "www."
// or a Zoom region, and the path without a trailing slash; query strings
// (authuser, pwd, context) and fragments name no other call.
func normalMeetingURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if strings.HasSuffix(host, ".zoom.us") {
		host = "zoom.us"
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	if host == "meet.google.com" {
		path = strings.ToLower(path)
	}
	return host + path
}

// dedupWindow is how far back a create looks for a live bot of the same
// meeting: the user's window; with a deduplicationKey and no window of
// their own, five minutes; none with allowDuplicate.
func dedupWindow(req api.CreateBotRequest, lim store.Limits) time.Duration {
	switch {
	case req.AllowDuplicate:
		return 0
	case lim.DedupWindow > 0:
		return lim.DedupWindow
	case req.DeduplicationKey != "":
		return defaultDedupWindow
	}
	return 0
}
