package api

import "testing"

func TestDetectMeetingPlatform(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url, want string
	}{
		{"https://meet.google.com/abc-defg-hij", MeetingGoogleMeet},
		{"https://meet.google.com/abc-defg-hij?authuser=1", MeetingGoogleMeet},
		{"https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0", MeetingMicrosoftTeams},
		{"https://teams.live.com/meet/9312345678?p=abc", MeetingMicrosoftTeams},
		{"https://us02web.zoom.us/j/81234567890?pwd=xyz", MeetingZoom},
		{"https://zoom.us/j/1234567890", MeetingZoom},
		{"http://meet.google.com/abc-defg-hij", ""},
		{"https://meet.google.com/", ""},
		{"https://evil.com/meet.google.com/abc-defg-hij", ""},
		{"https://zoom.us.evil.com/j/1234567890", ""},
		{"https://user@meet.google.com/abc-defg-hij", ""},
		{"not a url", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := DetectMeetingPlatform(tt.url)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("DetectMeetingPlatform(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
}

func FuzzDetectMeetingPlatform(f *testing.F) {
	for _, s := range []string{"https://meet.google.com/abc-defg-hij", "https://zoom.us/j/1234567890", "https://teams.live.com/meet/1", "%%", "https://[::1]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := DetectMeetingPlatform(raw)
		if (err == nil) != (p != "") {
			t.Fatalf("platform %q with error %v", p, err)
		}
	})
}

func TestCanTransition(t *testing.T) {
	t.Parallel()
	if !CanTransition(StatusQueued, StatusDeploying) || CanTransition(StatusDone, StatusInCall) || CanTransition(StatusDone, StatusDone) {
		t.Fatal("transition table broken")
	}
	for _, s := range AllStatuses {
		if s.Terminal() && len(transitions[s]) != 0 {
			t.Errorf("terminal status %s has transitions", s)
		}
	}
	if got := SourcesOf(StatusLeaving); len(got) == 0 {
		t.Fatal("no source for LEAVING")
	}
}
