package httpapi

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/meeboter/meeboter/api"
)

// botJSON encodes a bot exactly as encoding/json's Encoder does (field
// order, omitempty, HTML-safe escapes, the trailing newline), without
// reflection: encoding fifty bots by reflection was the largest cost of
// a page of GET /v1/bots. A test holds the two encodings equal for bots
// with every field set at random, so a field added to api.Bot and
// forgotten here fails it.
func botJSON(b api.Bot) rawJSON {
	out, ok := appendBot(make([]byte, 0, 1024), b)
	if !ok {
		return encodeJSON(b)
	}
	return append(out, '\n')
}

// botListJSON is botJSON for a page of bots, written into a buffer of
// listBufs: a page is tens of kilobytes, and a fresh buffer for each was
// a sixth of what a listing allocated.
func botListJSON(l api.List[api.Bot]) pooledJSON {
	buf := listBufs.Get().(*[]byte)
	out, ok := appendBotList((*buf)[:0], l)
	if !ok {
		out = append((*buf)[:0], encodeJSON(l)...)
	}
	*buf = out
	return pooledJSON{buf}
}

func appendBotList(out []byte, l api.List[api.Bot]) ([]byte, bool) {
	out = append(out, `{"items":`...)
	if l.Items == nil {
		out = append(out, "null"...)
	} else {
		out = append(out, '[')
		for i, b := range l.Items {
			if i > 0 {
				out = append(out, ',')
			}
			var ok bool
			if out, ok = appendBot(out, b); !ok {
				return nil, false
			}
		}
		out = append(out, ']')
	}
	if l.NextCursor != "" {
		out = appendString(append(out, `,"nextCursor":`...), l.NextCursor)
	}
	return append(out, "}\n"...), true
}

// encodeJSON is the reflective encoding, for what appendBot leaves to
// it; what encoding/json refuses is an empty body, as it was.
func encodeJSON(v any) rawJSON {
	out, err := json.Marshal(v)
	if err != nil {
		return rawJSON{}
	}
	return append(out, '\n')
}

// appendBot appends b; ok is false for what only encoding/json decides
// (a time outside years 0-9999, which it refuses).
func appendBot(out []byte, b api.Bot) ([]byte, bool) {
	ok := true
	out = append(out, `{"id":`...)
	out = strconv.AppendInt(out, b.ID, 10)
	out = appendString(append(out, `,"displayName":`...), b.DisplayName)
	out = appendOmit(out, `,"imageUrl":`, b.ImageURL)
	out = appendMeeting(append(out, `,"meeting":`...), b.Meeting)
	out, ok = appendTimePtr(out, `,"joinAt":`, b.JoinAt, ok)
	out = strconv.AppendInt(append(out, `,"maxDurationSeconds":`...), b.MaxDurationSeconds, 10)
	out = appendLeave(append(out, `,"automaticLeave":`...), b.AutomaticLeave)
	out = strconv.AppendBool(append(out, `,"recordingEnabled":`...), b.RecordingEnabled)
	out = appendOmit(out, `,"recording":`, b.Recording)
	if len(b.SpeakerTimeframes) > 0 {
		raw, err := json.Marshal(b.SpeakerTimeframes)
		ok = ok && err == nil
		out = append(append(out, `,"speakerTimeframes":`...), raw...)
	}
	out = appendString(append(out, `,"status":`...), string(b.Status))
	out = appendOmit(out, `,"endReason":`, b.EndReason)
	out = appendOmit(out, `,"endDetail":`, b.EndDetail)
	out, ok = appendTimePtr(out, `,"lastHeartbeatAt":`, b.LastHeartbeatAt, ok)
	out = appendString(append(out, `,"logLevel":`...), b.LogLevel)
	out = appendOmit(out, `,"callbackUrl":`, b.CallbackURL)
	out = appendOmit(out, `,"deploymentPlatform":`, b.DeploymentPlatform)
	out = appendOmit(out, `,"platformId":`, b.PlatformID)
	out = appendMap(append(out, `,"metadata":`...), b.Metadata)
	out = strconv.AppendInt(append(out, `,"priority":`...), int64(b.Priority), 10)
	out = strconv.AppendInt(append(out, `,"queueTimeoutSeconds":`...), b.QueueTimeoutSecs, 10)
	if b.QueuePosition != 0 {
		out = strconv.AppendInt(append(out, `,"queuePosition":`...), int64(b.QueuePosition), 10)
	}
	if b.EstimatedWaitSeconds != 0 {
		out = strconv.AppendInt(append(out, `,"estimatedWaitSeconds":`...), b.EstimatedWaitSeconds, 10)
	}
	out, ok = appendTimePtr(out, `,"queuedAt":`, b.QueuedAt, ok)
	if r := b.Reservation; r != nil {
		out = appendString(append(out, `,"reservation":{"platform":`...), r.Platform)
		out, ok = appendTime(append(out, `,"startsAt":`...), r.StartsAt, ok)
		out, ok = appendTime(append(out, `,"endsAt":`...), r.EndsAt, ok)
		out = append(out, '}')
	}
	out, ok = appendTimePtr(out, `,"deployStartedAt":`, b.DeployStartedAt, ok)
	out, ok = appendTimePtr(out, `,"joinedAt":`, b.JoinedAt, ok)
	out, ok = appendTimePtr(out, `,"endedAt":`, b.EndedAt, ok)
	out, ok = appendTime(append(out, `,"createdAt":`...), b.CreatedAt, ok)
	out, ok = appendTime(append(out, `,"updatedAt":`...), b.UpdatedAt, ok)
	return append(out, '}'), ok
}

func appendMeeting(out []byte, m api.Meeting) []byte {
	out = appendString(append(out, `{"meetingUrl":`...), m.MeetingURL)
	out = appendOmit(out, `,"platform":`, m.Platform)
	out = appendOmit(out, `,"meetingId":`, m.MeetingID)
	out = appendOmit(out, `,"meetingPassword":`, m.MeetingPassword)
	out = appendOmit(out, `,"organizerId":`, m.OrganizerID)
	out = appendOmit(out, `,"tenantId":`, m.TenantID)
	out = appendOmit(out, `,"messageId":`, m.MessageID)
	out = appendOmit(out, `,"threadId":`, m.ThreadID)
	return append(out, '}')
}

func appendLeave(out []byte, l api.AutomaticLeave) []byte {
	out = strconv.AppendInt(append(out, `{"waitingRoomTimeout":`...), l.WaitingRoomTimeout, 10)
	out = strconv.AppendInt(append(out, `,"noOneJoinedTimeout":`...), l.NoOneJoinedTimeout, 10)
	out = strconv.AppendInt(append(out, `,"everyoneLeftTimeout":`...), l.EveryoneLeftTimeout, 10)
	out = strconv.AppendInt(append(out, `,"inactivityTimeout":`...), l.InactivityTimeout, 10)
	return append(out, '}')
}

// appendMap writes a map with its keys sorted, as encoding/json does.
func appendMap(out []byte, m map[string]string) []byte {
	if m == nil {
		return append(out, "null"...)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out = append(out, '{')
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendString(append(appendString(out, k), ':'), m[k])
	}
	return append(out, '}')
}

func appendOmit(out []byte, name, s string) []byte {
	if s == "" {
		return out
	}
	return appendString(append(out, name...), s)
}

func appendTimePtr(out []byte, name string, t *time.Time, ok bool) ([]byte, bool) {
	if t == nil {
		return out, ok
	}
	return appendTime(append(out, name...), *t, ok)
}

// appendTime writes RFC 3339 with nanoseconds, as time.Time's MarshalJSON.
func appendTime(out []byte, t time.Time, ok bool) ([]byte, bool) {
	_, off := t.Zone()
	if y := t.Year(); y < 0 || y > 9999 || off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return out, false // encoding/json refuses these
	}
	out = append(out, '"')
	out = t.AppendFormat(out, time.RFC3339Nano)
	return append(out, '"'), ok
}

// appendString writes s quoted. Printable ASCII that HTML gives no
// meaning to is copied; any other string is left to encoding/json, whose
// escapes (HTML-safe, invalid UTF-8 replaced) are the contract.
func appendString(out []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(out, q...)
		}
	}
	out = append(out, '"')
	out = append(out, s...)
	return append(out, '"')
}
