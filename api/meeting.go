package api

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// ErrMeetingURL is returned by DetectMeetingPlatform for a URL that names no
// known meeting.
var ErrMeetingURL = errors.New("not a Google Meet, Microsoft Teams or Zoom meeting URL")

var meetCode = regexp.MustCompile(`^/[a-z]{3}-[a-z]{4}-[a-z]{3}$`)

// DetectMeetingPlatform derives the meeting platform from a meeting URL:
// https://meet.google.com/abc-defg-hij, https://teams.microsoft.com/l/meetup-join/...,
// https://teams.live.com/meet/..., https://<any>.zoom.us/j/<digits>.
func DetectMeetingPlatform(raw string) (string, error) {
	if len(raw) > 2048 {
		return "", ErrMeetingURL
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "https" || u.User != nil || u.Port() != "" {
		return "", ErrMeetingURL // meeting links never name a port
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "meet.google.com" && meetCode.MatchString(u.Path):
		return MeetingGoogleMeet, nil
	case (host == "teams.microsoft.com" || host == "teams.live.com" || strings.HasSuffix(host, ".teams.microsoft.com")) && teamsPath(u.Path):
		return MeetingMicrosoftTeams, nil
	case (host == "zoom.us" || strings.HasSuffix(host, ".zoom.us") || host == "zoomgov.com" || strings.HasSuffix(host, ".zoomgov.com")) && zoomPath(u.Path):
		return MeetingZoom, nil
	}
	return "", ErrMeetingURL
}

func teamsPath(p string) bool {
	return strings.HasPrefix(p, "/l/meetup-join/") || strings.HasPrefix(p, "/meet/") || strings.HasPrefix(p, "/v2/")
}

var zoomMeeting = regexp.MustCompile(`^/(j|w|s|wc/join)/[0-9]{9,12}/?$`)

func zoomPath(p string) bool { return zoomMeeting.MatchString(p) }
