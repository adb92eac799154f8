package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/lifecycle"
)

// newBotForm is the New bot form as filled in, with an error per field.
// Field names are the API's JSON paths, so the service's field errors
// (the same ones its problem documents carry) land beside their inputs.
type newBotForm struct {
	MeetingURL, DisplayName, JoinAt, TimeZone string
	MaxMinutes, Priority, LogLevel            string
	CallbackURL                               string
	Recording                                 bool
	Meta                                      []metaRow
	LogLevels                                 []string
	Errors                                    map[string]string
	Error                                     string // one not about a field: a quota, a limit
}

// metaRow is one key/value row of the metadata.
type metaRow struct {
	Key, Value, Error string
}

// formField maps the service's field names to the inputs that hold them
// where the two differ: the form asks for minutes, and a join time in a
// zone.
var formField = map[string]string{"maxDurationSeconds": "maxDurationMinutes"}

func (c *Console) newBotPage(v *visit) (result, error) {
	f := newBotForm{TimeZone: "UTC", LogLevel: "INFO", Meta: []metaRow{{}}, LogLevels: lifecycle.LogLevels()}
	return view{page: "newbot", title: "New bot", nav: "new", data: f}, nil
}

// createBot creates the bot and opens its page, or shows the form again
// with each problem beside its field.
func (c *Console) createBot(v *visit) (result, error) {
	f, req, err := parseNewBot(v.r.PostForm)
	if err == nil {
		var lv lifecycle.View
		lv, err = c.svc.Life.Create(v.r.Context(), v.caller(), req)
		if err == nil {
			msg := "Created; the bot is " + statusText(lv.Status) + "."
			if lv.QueuePosition > 0 {
				msg = "Created and queued at position " + strconv.Itoa(lv.QueuePosition) + ": every platform is at capacity."
			}
			return redirect{to: "/bots/" + strconv.FormatInt(lv.ID, 10), flash: okFlash("actions", "%s", msg)}, nil
		}
	}
	f.setErrors(err)
	return view{page: "newbot", title: "New bot", nav: "new", status: problemFor(err).Status, data: f}, nil
}

// setErrors spreads an error over the form: field errors beside their
// inputs (metadata ones beside their rows), anything else at the top.
func (f *newBotForm) setErrors(err error) {
	fields := fieldErrors(err)
	if fields == nil {
		f.Error = describe(err)
		return
	}
	f.Errors = map[string]string{}
	for name, msg := range fields {
		if key, ok := strings.CutPrefix(name, "metadata."); ok && f.setRowError(key, msg) {
			continue
		}
		if to, ok := formField[name]; ok {
			name = to
		}
		f.Errors[name] = msg
	}
}

func (f *newBotForm) setRowError(key, msg string) bool {
	for i := range f.Meta {
		if f.Meta[i].Key == key {
			f.Meta[i].Error = msg
			return true
		}
	}
	return false
}

// parseNewBot reads the form into a create request. What the form itself
// can tell is wrong (a time that is not one, a key given twice) is an
// error here; the rest is the service's to judge.
func parseNewBot(form url.Values) (newBotForm, api.CreateBotRequest, error) {
	f := newBotForm{
		MeetingURL: strings.TrimSpace(form.Get("meeting.meetingUrl")), DisplayName: strings.TrimSpace(form.Get("displayName")),
		JoinAt: form.Get("joinAt"), TimeZone: strings.TrimSpace(form.Get("timeZone")), MaxMinutes: strings.TrimSpace(form.Get("maxDurationMinutes")),
		Priority: strings.TrimSpace(form.Get("priority")), LogLevel: form.Get("logLevel"), CallbackURL: strings.TrimSpace(form.Get("callbackUrl")),
		Recording: form.Get("recordingEnabled") == "on", LogLevels: lifecycle.LogLevels(),
	}
	req := api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: f.MeetingURL}, DisplayName: f.DisplayName, LogLevel: f.LogLevel,
		CallbackURL: f.CallbackURL, RecordingEnabled: f.Recording}
	v := &domain.Validator{}
	req.JoinAt = parseJoinAt(v, f.JoinAt, f.TimeZone)
	if f.MaxMinutes != "" {
		n, err := strconv.Atoi(f.MaxMinutes)
		v.Check(err == nil && n >= 1 && n <= 1440, "maxDurationMinutes", "must be a whole number of minutes from 1 to 1440")
		req.MaxDurationSeconds = int64(n) * 60
	}
	if f.Priority != "" {
		n, err := strconv.Atoi(f.Priority)
		v.Check(err == nil, "priority", "must be a whole number from 0 (first) to 9")
		req.Priority = n
	}
	f.Meta, req.Metadata = parseMetadata(v, form["metadata.key"], form["metadata.value"])
	return f, req, v.Err()
}

// parseJoinAt reads a datetime-local value (no zone) in the named zone;
// empty means at once.
func parseJoinAt(v *domain.Validator, raw, zone string) *time.Time {
	if raw == "" {
		return nil
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		v.Check(false, "timeZone", "%q is not an IANA time zone such as Europe/Paris", zone)
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, raw, loc); err == nil {
			return &t
		}
	}
	v.Check(false, "joinAt", "must be a date and time such as 2026-05-01T14:30")
	return nil
}

// parseMetadata pairs the key and value inputs row by row, keeping the
// rows as typed (with an empty one to add to) for the form to show again.
func parseMetadata(v *domain.Validator, keys, values []string) ([]metaRow, map[string]string) {
	rows, md := []metaRow{}, map[string]string{}
	for i, k := range keys {
		k = strings.TrimSpace(k)
		val := ""
		if i < len(values) {
			val = values[i]
		}
		if k == "" && strings.TrimSpace(val) == "" {
			continue
		}
		row := metaRow{Key: k, Value: val}
		switch _, dup := md[k]; {
		case k == "":
			row.Error = "give the value a key"
			v.Check(false, "metadata", "every value needs a key")
		case dup:
			row.Error = "this key is given twice"
			v.Check(false, "metadata."+k, "is given twice")
		}
		md[k] = val
		rows = append(rows, row)
	}
	if len(md) == 0 {
		md = nil
	}
	return append(rows, metaRow{}), md
}
