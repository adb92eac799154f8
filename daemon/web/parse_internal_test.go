package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/bots?status=DONE": "/bots?status=DONE", "/keys#log": "/keys#log", "": "/", "bots": "/",
		"//evil.example": "/", "/\\evil.example": "/", "https://evil.example/": "/", "/%0d%0aSet-Cookie:x": "/%0d%0aSet-Cookie:x",
		"/a\r\nb": "/", "javascript:alert(1)": "/", "/\tx": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLocalPath: whatever the address bar holds, next never leaves the
// console.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/bots", "//x", "/\\x", "http://x", "/%2f%2fx", "\x00", "/bots?next=//x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := localPath(in)
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\t") {
			t.Fatalf("localPath(%q) = %q", in, got)
		}
	})
}

func TestParseNewBot(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"meeting.meetingUrl": {" https://meet.google.com/abc-defg-hij "}, "displayName": {"Scribe"},
		"joinAt": {"2030-05-01T14:30"}, "timeZone": {"Europe/Paris"}, "maxDurationMinutes": {"90"}, "priority": {"3"},
		"logLevel": {"DEBUG"}, "recordingEnabled": {"on"},
		"metadata.key": {"team", "", "env"}, "metadata.value": {"sales", "", "prod"},
	}
	f, req, err := parseNewBot(form)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2030, 5, 1, 12, 30, 0, 0, time.UTC)
	if req.Meeting.MeetingURL != "https://meet.google.com/abc-defg-hij" || req.JoinAt == nil || !req.JoinAt.Equal(want) ||
		req.MaxDurationSeconds != 5400 || req.Priority != 3 || !req.RecordingEnabled || req.LogLevel != "DEBUG" ||
		len(req.Metadata) != 2 || req.Metadata["env"] != "prod" {
		t.Fatalf("request %+v", req)
	}
	if len(f.Meta) != 3 || f.Meta[2] != (metaRow{}) {
		t.Fatalf("rows %+v: the typed ones and one empty to add to", f.Meta)
	}

	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"JoinAtNotATime", url.Values{"joinAt": {"soon"}, "timeZone": {"UTC"}}, "joinAt"},
		{"UnknownZone", url.Values{"joinAt": {"2030-05-01T14:30"}, "timeZone": {"Mars/Olympus"}}, "timeZone"},
		{"MinutesNotANumber", url.Values{"maxDurationMinutes": {"an hour"}}, "maxDurationMinutes"},
		{"MinutesTooMany", url.Values{"maxDurationMinutes": {"5000"}}, "maxDurationMinutes"},
		{"PriorityNotANumber", url.Values{"priority": {"high"}}, "priority"},
		{"DuplicateKey", url.Values{"metadata.key": {"a", "a"}, "metadata.value": {"1", "2"}}, "metadata.a"},
		{"ValueWithoutKey", url.Values{"metadata.key": {""}, "metadata.value": {"orphan"}}, "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := parseNewBot(tt.form)
			if fields := fieldErrors(err); fields[tt.field] == "" {
				t.Fatalf("errors %v, want one for %s", fields, tt.field)
			}
		})
	}
}

// FuzzParseNewBot: any form gives a request or field errors, never a
// panic, and every row typed comes back to the form.
func FuzzParseNewBot(f *testing.F) {
	f.Add("https://meet.google.com/abc-defg-hij", "2030-05-01T14:30", "UTC", "60", "0", "k", "v")
	f.Add("", "", "", "", "", "", "")
	f.Add("x", "2030-13-45T99:99", "Local", "-1", "1e9", "a b", "\x00")
	f.Fuzz(func(t *testing.T, meeting, joinAt, zone, minutes, priority, key, value string) {
		form := url.Values{"meeting.meetingUrl": {meeting}, "joinAt": {joinAt}, "timeZone": {zone}, "maxDurationMinutes": {minutes},
			"priority": {priority}, "metadata.key": {key, key}, "metadata.value": {value}}
		f, req, err := parseNewBot(form)
		if err != nil && fieldErrors(err) == nil {
			t.Fatalf("a parse error that names no field: %v", err)
		}
		if err == nil && req.MaxDurationSeconds%60 != 0 {
			t.Fatalf("minutes became %d seconds", req.MaxDurationSeconds)
		}
		if len(f.Meta) == 0 || f.Meta[len(f.Meta)-1] != (metaRow{}) {
			t.Fatalf("rows %+v lack the empty one", f.Meta)
		}
	})
}

func TestParseBotFilter(t *testing.T) {
	t.Parallel()
	q := url.Values{"status": {"DONE", "FATAL"}, "platform": {"zoom"}, "metadata": {"team=a, env = prod"}, "sort": {"name"}, "cursor": {"40"}}
	bf, f, err := parseBotFilter(q, 7)
	if err != nil {
		t.Fatal(err)
	}
	if f.UserID != 7 || len(f.Statuses) != 2 || f.MeetingPlatform != "zoom" || f.Metadata["env"] != "prod" || f.BeforeID != 40 || f.Limit != botsPageSize {
		t.Fatalf("filter %+v", f)
	}
	if !bf.Status[api.StatusFatal] || bf.Sort != "name" {
		t.Fatalf("form %+v", bf)
	}
	_, _, err = parseBotFilter(url.Values{"status": {"NAPPING"}, "platform": {"skype"}, "metadata": {"novalue"}, "sort": {"random"}, "cursor": {"-1"}}, 7)
	fields := fieldErrors(err)
	for _, name := range []string{"status", "platform", "metadata", "sort", "cursor"} {
		if fields[name] == "" {
			t.Errorf("no error for %s in %v", name, fields)
		}
	}
}

func FuzzParseBotFilter(f *testing.F) {
	f.Add("DONE", "zoom", "a=b", "newest", "10")
	f.Add("", "", ",,=,", "", "0")
	f.Fuzz(func(t *testing.T, status, platform, meta, sort, cursor string) {
		_, bf, err := parseBotFilter(url.Values{"status": {status}, "platform": {platform}, "metadata": {meta}, "sort": {sort}, "cursor": {cursor}}, 1)
		if err != nil && fieldErrors(err) == nil {
			t.Fatalf("an error that names no field: %v", err)
		}
		if bf.UserID != 1 {
			t.Fatalf("the filter lost its user: %+v", bf)
		}
	})
}

func FuzzStreamIDs(f *testing.F) {
	f.Add("1,2,3")
	f.Add(",-1,x,99999999999999999999")
	f.Fuzz(func(t *testing.T, raw string) {
		ids := streamIDs(raw)
		if len(ids) > maxStreamIDs {
			t.Fatalf("%d ids", len(ids))
		}
		for _, id := range ids {
			if id <= 0 {
				t.Fatalf("id %d", id)
			}
		}
	})
}
