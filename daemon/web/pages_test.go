package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func TestNewBot_FieldErrors(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	tok := b.csrf()
	p := b.post("/bots/new", url.Values{"csrf": {tok}, "meeting.meetingUrl": {"https://example.com/not-a-meeting"}, "priority": {"12"},
		"metadata.key": {"bad key!", "ok"}, "metadata.value": {"1", "2"}, "timeZone": {"UTC"}})
	wantStatus(t, "invalid", p, http.StatusUnprocessableEntity)
	// Each message sits with its field, as the service named it.
	for _, w := range []string{`id="meetingUrl" name="meeting.meetingUrl" type="url" value="https://example.com/not-a-meeting"`, "must be from 0 (first) to 9", "keys are 1-64 characters"} {
		mustContain(t, p, w)
	}
	for field, msg := range map[string]string{`id="meetingUrl-hint"`: "not a Google Meet, Microsoft Teams or Zoom meeting URL", `id="priority-hint"`: "must be from 0 (first) to 9"} {
		i, j := strings.Index(p.body, field), strings.Index(p.body, msg)
		if i < 0 || j < 0 || j < i {
			t.Errorf("the error %q is not under the %s field", msg, field)
		}
	}
	bad := b.post("/bots/new", url.Values{"csrf": {tok}, "meeting.meetingUrl": {"https://meet.google.com/abc-defg-hij"}, "joinAt": {"tomorrow"}, "timeZone": {"Mars/Olympus"}})
	wantStatus(t, "bad time", bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, "is not an IANA time zone")
	list, err := d.Admin.Bots().List(context.Background(), api.BotListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 0 {
		t.Fatalf("an invalid form created %d bots", len(list.Items))
	}
}

func TestNewBot_Creates(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	join := time.Now().Add(48 * time.Hour).In(time.FixedZone("", 0))
	p := b.post("/bots/new", url.Values{"csrf": {b.csrf()}, "meeting.meetingUrl": {"https://meet.google.com/abc-defg-hij"}, "displayName": {"Scribe"},
		"joinAt": {join.Format("2006-01-02T15:04")}, "timeZone": {"Europe/Paris"}, "maxDurationMinutes": {"30"},
		"metadata.key": {"team", ""}, "metadata.value": {"sales", ""}})
	wantStatus(t, "create", p, http.StatusSeeOther)
	loc := p.header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(loc, "/bots/%d", &id); err != nil {
		t.Fatalf("went to %q", loc)
	}
	bot, err := d.Admin.Bots().Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	wantJoin, _ := time.ParseInLocation("2006-01-02T15:04", join.Format("2006-01-02T15:04"), paris)
	if bot.DisplayName != "Scribe" || bot.Metadata["team"] != "sales" || bot.MaxDurationSeconds != 1800 || bot.JoinAt == nil || !bot.JoinAt.Equal(wantJoin) || bot.Status != api.StatusScheduled {
		t.Fatalf("created %+v", bot)
	}
	mustContain(t, b.get(loc), "Created; the bot is scheduled.", "Scribe", "team")
}

func TestBots_Filters(t *testing.T) {
	t.Parallel()
	d := start(t)
	a := newBot(t, d.Admin, map[string]string{"team": "a"})
	c := newBot(t, d.Admin, map[string]string{"team": "b"})
	if _, err := d.Admin.Bots().Cancel(context.Background(), c.ID); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	row := func(id int64) string { return fmt.Sprintf(`data-bot-id="%d"`, id) }
	p := b.get("/bots?status=DONE")
	mustContain(t, p, row(c.ID), "cancelled")
	if strings.Contains(p.body, row(a.ID)) {
		t.Fatal("the DONE filter shows a deploying bot")
	}
	p = b.get("/bots?metadata=team%3Da")
	mustContain(t, p, row(a.ID))
	if strings.Contains(p.body, row(c.ID)) {
		t.Fatal("the metadata filter shows another team's bot")
	}
	bad := b.get("/bots?status=SLEEPING&metadata=novalue")
	wantStatus(t, "bad filter", bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, `&#34;SLEEPING&#34; is not a bot status`, "write key=value")
	mustContain(t, b.get("/bots?platform=zoom"), "No bots match these filters")
}

func TestBots_EmptyState(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	mustContain(t, b.get("/bots"), "No bots yet.", `href="/bots/new"`, "meeboter bot create")
}

func TestKeys_CreateShowsSecretOnce(t *testing.T) {
	t.Parallel()
	d := start(t)
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	tok := b.csrf()
	bad := b.post("/keys", url.Values{"csrf": {tok}, "name": {""}, "expiresInDays": {"999"}})
	wantStatus(t, "invalid", bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, "is required", "must be from 1 to 365")
	p := b.post("/keys", url.Values{"csrf": {tok}, "name": {"ci"}, "expiresInDays": {"30"}})
	wantStatus(t, "create", p, http.StatusOK)
	secret := secretOf(t, p)
	c := d.Client(t, secret)
	if _, err := c.Users().Me(context.Background()); err != nil {
		t.Fatalf("the shown secret does not work: %v", err)
	}
	if again := b.get("/keys"); strings.Contains(again.body, secret) {
		t.Fatal("the secret is shown a second time")
	}
}

func TestUsage_Chart(t *testing.T) {
	t.Parallel()
	d := start(t)
	for range 3 {
		newBot(t, d.Admin, nil)
	}
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	today := time.Now().UTC().Format("2006-01-02")
	p := b.get("/usage?timeZone=UTC")
	wantStatus(t, "usage", p, http.StatusOK)
	mustContain(t, p, `<svg class="chart"`, "<rect class=\"bar\"", today+": 3 bots", "3 bots and", "unlimited")
	bad := b.get("/usage?from=2026-13-01&timeZone=Nowhere")
	wantStatus(t, "bad range", bad, http.StatusUnprocessableEntity)
	mustContain(t, bad, "must be a date such as", "is not an IANA time zone")
}

// TestLiveStream reads the console's own stream as the Bots page does: a
// change of the user's bot arrives, another user's never.
func TestLiveStream(t *testing.T) {
	t.Parallel()
	d := start(t)
	member, _ := memberKey(t, d, "other@example.test")
	b := newBrowser(t, d.URL)
	b.signIn(d.AdminKey)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, d.URL+"/live", nil)
	resp, err := b.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, ct)
	}
	newBot(t, member, nil)
	mine := newBot(t, d.Admin, nil)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev api.StreamEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Bot == nil {
			continue
		}
		if ev.Bot.ID != mine.ID {
			t.Fatalf("the stream carries bot %d, not the user's", ev.Bot.ID)
		}
		return
	}
	t.Fatalf("stream ended: %v", sc.Err())
}
