package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/sandbox"
)

// envDocsScreenshot names a file to write the desktop screenshot of the
// Bots page to, for the README (docs/console-bots.png).
const envDocsScreenshot = "MEEBOTER_DOCS_SCREENSHOT"

// startSandbox runs a daemon whose bots are the real sandbox bot, walking
// their life over loopback. Steps of two and a half seconds give the browser
// time to load a page before the bot reaches its call.
func startSandbox(tb testing.TB) *daemontest.Daemon {
	tb.Helper()
	p := daemontest.NewInProc(platforms.Local, 4)
	p.Tune = func(c *sandbox.Config) { c.StepDelay = 2500 * time.Millisecond }
	tb.Cleanup(func() { _ = p.Close() })
	return daemontest.Start(tb, daemontest.Options{Platforms: []platforms.Platform{p}})
}

// TestBrowser_BotLife signs in, creates a sandbox bot with the form, sees
// it reach IN_CALL on its page without a reload, asks it to leave from the
// Bots page and sees it end DONE there, again without a reload.
func TestBrowser_BotLife(t *testing.T) {
	t.Parallel()
	c := newChrome(t)
	d := startSandbox(t)
	c.signIn(d.URL, d.AdminKey)
	c.shoot("bots-empty")

	c.open(d.URL + "/bots/new")
	c.do(
		chromedp.SendKeys(chromedp.ID("meetingUrl"), "https://meet.google.com/abc-defg-hij"),
		chromedp.SendKeys(chromedp.ID("displayName"), "Browser bot"),
		chromedp.SendKeys(chromedp.ID("mk0"), sandbox.MetaCallEndsAfter),
		chromedp.SendKeys(chromedp.ID("mv0"), "10m"),
		chromedp.Click(chromedp.CSS("[data-meta-add]")),
		chromedp.SendKeys(chromedp.CSS("[data-meta-row]:nth-of-type(2) input[name='metadata.key']"), "team"),
		chromedp.SendKeys(chromedp.CSS("[data-meta-row]:nth-of-type(2) input[name='metadata.value']"), "sales"),
	)
	c.shoot("new-bot")
	c.submit(`form[action="/bots/new"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("[data-live][data-bot-id]")))
	c.mark()
	if st := c.text(".page-head [data-status-badge]"); st == "in call" {
		t.Fatalf("the bot was in its call before the page could watch it (%q)", st)
	}
	c.waitText(".page-head [data-status-badge]", "in call")
	c.waitText("[data-timeline]", "in call")
	if !c.marked() {
		t.Fatal("the bot page reloaded to show IN_CALL")
	}
	c.waitText(`[data-field="deploymentPlatform"]`, "local")
	c.shoot("bot-in-call")

	id := eval[int64](c, `Number(document.querySelector("[data-bot-id]").dataset.botId)`)
	bot, err := d.Admin.Bots().Get(context.Background(), id)
	if err != nil || bot.Metadata["team"] != "sales" || bot.DisplayName != "Browser bot" {
		t.Fatalf("created %+v, %v", bot, err)
	}

	// Chat from the bot page; the sandbox bot posts it and logs so.
	c.do(chromedp.SendKeys(chromedp.ID("chat-text"), "hello from the console"))
	c.submit(`form[action$="/chat"] button`)
	c.waitText("#chat .flash", "Queued")
	c.mark()
	c.waitText("[data-log]", "posting chat message")
	if !c.marked() {
		t.Fatal("the log tail reloaded the page")
	}

	// Two more bots, so the list shows more than one status: one the
	// sandbox fails as a real bot would, one scheduled for tomorrow.
	failing, err := d.Admin.Bots().Create(context.Background(), api.CreateBotRequest{DisplayName: "Wrong room",
		Meeting: api.Meeting{MeetingURL: "https://zoom.us/j/123456789"}, Metadata: map[string]string{sandbox.MetaScenario: "fatal:MEETING_NOT_FOUND"}})
	if err != nil {
		t.Fatal(err)
	}
	tomorrow := time.Now().Add(24 * time.Hour)
	if _, err := d.Admin.Bots().Create(context.Background(), api.CreateBotRequest{DisplayName: "Standup notes", JoinAt: &tomorrow,
		Meeting: api.Meeting{MeetingURL: "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"}}); err != nil {
		t.Fatal(err)
	}
	c.open(d.URL + "/bots")
	row := fmt.Sprintf(`tr[data-bot-id="%d"]`, id)
	c.waitText(row, "in call")
	c.waitText(fmt.Sprintf(`tr[data-bot-id="%d"]`, failing.ID), "MEETING_NOT_FOUND")
	c.shoot("bots")
	if path := os.Getenv(envDocsScreenshot); path != "" {
		if err := os.WriteFile(path, c.capture(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c.do(chromedp.Click(chromedp.CSS(row + ` input[name="id"]`)))
	c.waitText("[data-selected]", "1")
	c.submit(`button[value="leave"]`)
	if got := c.text(".bulk .flash"); !strings.Contains(got, "Asked 1 bot to leave") {
		t.Fatalf("bulk leave says %q", got)
	}
	c.mark()
	c.waitText(row, "done")
	if !c.marked() {
		t.Fatal("the bots page reloaded to show DONE")
	}

	c.open(fmt.Sprintf("%s/bots/%d", d.URL, id))
	c.waitText("[data-timeline]", api.ReasonLeftByRequest)
	c.waitText(`[data-field="endReason"]`, api.ReasonLeftByRequest)
	if visible := eval[bool](c, `!document.querySelector('form[action$="/leave"]').hidden`); visible {
		t.Fatal("a DONE bot still offers to leave")
	}
	c.checkScreenshots(id)
	c.shoot("bot-done")
}

// checkScreenshots sees that the sandbox bot's screenshots are listed and
// their images load.
func (c *chrome) checkScreenshots(id int64) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	// The images load lazily, as a person scrolls to them.
	if _, err := chromedp.Run(ctx, chromedp.ScrollIntoView(chromedp.CSS(".shots"))); err != nil {
		c.t.Fatalf("scroll to bot %d's screenshots: %v", id, err)
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const imgs = [...document.querySelectorAll(".shots img")];
		return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0); })()`, chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		c.t.Fatalf("bot %d's screenshots did not load: %v", id, err)
	}
}

// TestBrowser_Keys creates a key, copies its secret, and revokes it.
func TestBrowser_Keys(t *testing.T) {
	t.Parallel()
	c := newChrome(t)
	d := start(t)
	c.signIn(d.URL, d.AdminKey)
	c.open(d.URL + "/keys")
	c.submit(`form[action="/keys"] button[type="submit"]`)
	if got := c.text(".field-error"); !strings.Contains(got, "is required") {
		t.Fatalf("an empty name says %q", got)
	}
	c.do(chromedp.SendKeys(chromedp.ID("key-name"), "ci"), chromedp.SendKeys(chromedp.ID("key-days"), "30"))
	c.submit(`form[action="/keys"] button[type="submit"]`)
	secret := c.text("#secret-value")
	c.do(chromedp.Click(chromedp.CSS("[data-copy]")))
	c.waitText("[data-copy]", "Copied")
	c.shoot("keys-created")
	kc := d.Client(t, secret)
	if _, err := kc.Users().Me(context.Background()); err != nil {
		t.Fatalf("the secret shown does not work: %v", err)
	}
	keys, err := kc.Keys().List(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var newID int64
	for _, k := range keys.Items {
		if k.Name == "ci" {
			newID = k.ID
		}
	}
	row := fmt.Sprintf(`tr[data-key-id="%d"]`, newID)
	c.submit(row + ` button`)
	c.waitText(row, "revoked")
	if _, err := kc.Users().Me(context.Background()); err == nil {
		t.Fatal("the revoked key still works")
	}
	c.shoot("keys")
}

// TestBrowser_MemberBoundaries: a member's browser gets 404 for another
// member's bot and for the admin pages, and a form without its CSRF token,
// or posted from another origin's page, is refused.
func TestBrowser_MemberBoundaries(t *testing.T) {
	t.Parallel()
	c := newChrome(t)
	d := start(t)
	adminBot := newBot(t, d.Admin, nil)
	_, key := memberKey(t, d, "member@example.test")
	c.signIn(d.URL, key)
	for _, path := range []string{fmt.Sprintf("/bots/%d", adminBot.ID), "/pool", "/users"} {
		if st := c.open(d.URL + path); st != 404 {
			t.Errorf("%s: %d, want 404", path, st)
		}
		if h := c.text("h1"); h != "Not found" {
			t.Errorf("%s shows %q", path, h)
		}
	}
	c.shoot("not-found")
	if nav := c.text("header nav"); strings.Contains(nav, "Pool") || strings.Contains(nav, "Users") {
		t.Errorf("a member's menu reads %q", nav)
	}

	c.open(d.URL + "/keys")
	c.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/keys"] input[name="csrf"]').remove()`),
		chromedp.SendKeys(chromedp.ID("key-name"), "no-token"))
	c.submit(`form[action="/keys"] button[type="submit"]`)
	if h := c.text("h1"); h != "Refused" {
		t.Fatalf("a form without its token shows %q", h)
	}
	c.shoot("refused")

	evil := evilSite(t, d.URL)
	c.open(evil)
	c.do(chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := c.text("h1"); h != "Refused" {
		t.Fatalf("a form from another origin shows %q", h)
	}
	keys, err := d.Client(t, key).Keys().List(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys.Items {
		if k.Name != "first key" {
			t.Errorf("a refused form made key %q", k.Name)
		}
	}
}

// TestBrowser_Pages visits the remaining pages, filled in, for their
// screenshots and the console check.
func TestBrowser_Pages(t *testing.T) {
	t.Parallel()
	c := newChrome(t)
	d := start(t)
	for i := range 5 {
		newBot(t, d.Admin, map[string]string{"n": fmt.Sprint(i)})
	}
	c.open(d.URL + "/signin")
	c.shoot("signin")
	c.signIn(d.URL, d.AdminKey)
	c.open(d.URL + "/bots/new")
	c.do(chromedp.SendKeys(chromedp.ID("meetingUrl"), "https://example.com/x"), chromedp.SendKeys(chromedp.ID("priority"), "12"))
	c.submit(`form[action="/bots/new"] button[type="submit"]`)
	c.shoot("new-bot-errors")
	if zone := eval[string](c, `document.getElementById("timeZone").value`); zone == "" {
		t.Error("the time zone field is empty")
	}
	for _, p := range []struct{ path, name, want string }{
		{"/usage", "usage", "Bots per day"}, {"/pool", "pool", "Capacity"}, {"/users", "users", "Everyone"}, {"/bots?status=DONE", "bots-filtered", "No bots match"},
	} {
		c.open(d.URL + p.path)
		c.waitText("main", p.want)
		c.shoot(p.name)
	}
	c.open(d.URL + "/usage")
	if bars := eval[int](c, `document.querySelectorAll("svg.chart rect.bar").length`); bars != 14 {
		t.Errorf("the chart has %d bars, want 14 days", bars)
	}
}

// evilSite serves a page of another origin whose script posts a form to
// the console, as a forged request would: the browser sends it with the
// console's cookie (the two share a site), and the console must refuse it.
func evilSite(tb testing.TB, console string) string {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s/keys"><input name="csrf" value="guess"><input name="name" value="evil"></form>
<script>document.getElementById("f").submit()</script>`, console)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}
