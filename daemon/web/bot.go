package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// How much of a bot's history its page shows; the log follows live.
const (
	botEventsShown = 500
	botLogsShown   = 200
	botShotsShown  = 100
	botChatShown   = 200
)

// botData fills the Bot page.
type botData struct {
	Bot       api.Bot
	Timeline  []step
	Events    []api.Event
	MoreEvent bool
	Logs      []api.LogEntry
	Shots     []api.Screenshot
	Images    bool // screenshots can be shown, not only listed
	Chat      []api.ChatMessage
	Recording recording
	// LastEvent and LastLog are the ids of the last event and log line
	// shown, for the live stream to carry on from.
	LastEvent, LastLog int64
	// LeaveWhen and CancelWhen list the statuses in which each action
	// applies, for the page and for the script that keeps it current.
	LeaveWhen, CancelWhen string
}

// step is one status of the bot's timeline, with why it got there.
type step struct {
	Status api.BotStatus
	At     time.Time
	Reason string
	Detail string
}

// recording is what the page says of a bot's recording.
type recording struct {
	Enabled bool
	Key     string // where the bot stored it
	URL     string // a link to it, once the blob store provides one
}

var (
	leaveWhen  = statusList(api.StatusScheduled, api.StatusQueued, api.StatusDeploying, api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall)
	cancelWhen = statusList(api.StatusScheduled, api.StatusQueued, api.StatusDeploying, api.StatusJoiningCall)
)

func statusList(ss ...api.BotStatus) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}

// ownedBot loads the {id} bot of the caller; any other bot is a 404.
func (c *Console) ownedBot(v *visit) (store.Bot, error) {
	id, err := strconv.ParseInt(v.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.Bot{}, domain.NotFound("bot")
	}
	return c.svc.Life.Owned(v.r.Context(), v.caller().User.ID, id)
}

// botPage shows one bot: its details, timeline, events, log tail,
// screenshots and chat, kept current by the script.
func (c *Console) botPage(v *visit) (result, error) {
	b, err := c.ownedBot(v)
	if err != nil {
		return nil, err
	}
	d, err := c.botData(v, b)
	if err != nil {
		return nil, err
	}
	return view{page: "bot", title: b.DisplayName + " #" + strconv.FormatInt(b.ID, 10), nav: "bots", data: d}, nil
}

func (c *Console) botData(v *visit, b store.Bot) (botData, error) {
	ctx := v.r.Context()
	lv := c.svc.Life.View(ctx, b)
	bot := wire.Bot(b)
	bot.QueuePosition, bot.EstimatedWaitSeconds = lv.QueuePosition, int64(lv.EstimatedWait.Seconds())
	d := botData{Bot: bot, Images: c.cfg.OpenBlob != nil, LeaveWhen: leaveWhen, CancelWhen: cancelWhen}
	events, err := c.svc.Life.Events(ctx, b.ID, store.Page{Limit: botEventsShown})
	if err != nil {
		return d, err
	}
	d.Events, d.MoreEvent, d.Timeline = wire.Map(events, wire.Event), len(events) == botEventsShown, timeline(b, events)
	logs, err := c.svc.Life.LatestLogs(ctx, b.ID, botLogsShown)
	if err != nil {
		return d, err
	}
	shots, err := c.svc.Life.Screenshots(ctx, b.ID, store.Page{Limit: botShotsShown})
	if err != nil {
		return d, err
	}
	msgs, err := c.svc.Chat.History(ctx, b.ID, store.Page{Limit: botChatShown})
	if err != nil {
		return d, err
	}
	d.Logs, d.Shots, d.Chat = wire.Map(logs, wire.Log), wire.Map(shots, wire.Screenshot), wire.Map(msgs, wire.Chat)
	if len(events) > 0 {
		d.LastEvent = events[len(events)-1].ID
	}
	if len(logs) > 0 {
		d.LastLog = logs[len(logs)-1].ID
	}
	d.Recording, err = c.recording(v, b)
	return d, err
}

// timeline is the bot's statuses in order: created, queued and deployed
// (which the bot's row records), then each status event the bot or the
// daemon wrote, with the reason code it or the bot's end carries.
func timeline(b store.Bot, events []store.Event) []step {
	steps := []step{{Status: api.StatusScheduled, At: b.CreatedAt, Reason: "created"}}
	if b.QueuedAt != nil {
		steps = append(steps, step{Status: api.StatusQueued, At: *b.QueuedAt, Reason: "no capacity"})
	}
	if b.DeployStartedAt != nil {
		steps = append(steps, step{Status: api.StatusDeploying, At: *b.DeployStartedAt, Detail: "on " + b.DeploymentPlatform})
	}
	for _, e := range events {
		st := api.BotStatus(e.Type)
		if !st.Valid() {
			continue
		}
		var data struct {
			SubCode     string `json:"sub_code"`
			Description string `json:"description"`
		}
		_ = json.Unmarshal(e.Data, &data)
		steps = append(steps, step{Status: st, At: e.Time, Reason: data.SubCode, Detail: data.Description})
	}
	// Stable: a status event written in the same instant as a row time
	// stays after it.
	slices.SortStableFunc(steps, func(x, y step) int { return x.At.Compare(y.At) })
	if b.Status.Terminal() {
		last := &steps[len(steps)-1]
		if last.Status != b.Status {
			steps = append(steps, step{Status: b.Status, At: deref(b.EndedAt, b.UpdatedAt)})
			last = &steps[len(steps)-1]
		}
		last.Reason, last.Detail = b.EndReason, cmpOr(last.Detail, b.EndDetail)
	}
	return steps
}

func deref(t *time.Time, def time.Time) time.Time {
	if t == nil {
		return def
	}
	return *t
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// recording says where the bot's recording is. RecordingURL is the blob
// store's hook; until it is set, the page shows the storage key.
func (c *Console) recording(v *visit, b store.Bot) (recording, error) {
	r := recording{Enabled: b.RecordingEnabled, Key: b.RecordingKey}
	if b.RecordingKey == "" || c.cfg.RecordingURL == nil {
		return r, nil
	}
	u, err := c.cfg.RecordingURL(v.r.Context(), b)
	r.URL = u
	return r, err
}

// botAction runs leave or cancel on the {id} bot and comes back to its
// page, saying what happened beside the buttons.
func (c *Console) botAction(v *visit, op func(*visit, store.Bot) (store.Bot, error), done string) (result, error) {
	b, err := c.ownedBot(v)
	if err != nil {
		return nil, err
	}
	back := "/bots/" + strconv.FormatInt(b.ID, 10)
	nb, err := op(v, b)
	if err != nil {
		return redirect{to: back, flash: errFlash("actions", err)}, nil
	}
	return redirect{to: back, flash: okFlash("actions", done, statusText(nb.Status))}, nil
}

func (c *Console) leaveBot(v *visit) (result, error) {
	return c.botAction(v, func(v *visit, b store.Bot) (store.Bot, error) { return c.svc.Life.Leave(v.r.Context(), b) },
		"Asked the bot to leave; it is now %s.")
}

func (c *Console) cancelBot(v *visit) (result, error) {
	return c.botAction(v, func(v *visit, b store.Bot) (store.Bot, error) { return c.svc.Life.Cancel(v.r.Context(), b) },
		"Cancelled; the bot is now %s.")
}

// sendChat queues a chat message for the bot to post.
func (c *Console) sendChat(v *visit) (result, error) {
	b, err := c.ownedBot(v)
	if err != nil {
		return nil, err
	}
	back := "/bots/" + strconv.FormatInt(b.ID, 10) + "#chat"
	if _, err := c.svc.Chat.Send(v.r.Context(), b, v.r.PostForm.Get("text")); err != nil {
		return redirect{to: back, flash: errFlash("chat", err)}, nil
	}
	return redirect{to: back, flash: okFlash("chat", "Queued; the bot posts it within a few seconds.")}, nil
}

// screenshot serves one of the {id} bot's images.
func (c *Console) screenshot(w http.ResponseWriter, r *http.Request) {
	v := &visit{w: w, r: r}
	if !c.begin(v) {
		return
	}
	b, err := c.ownedBot(v)
	if err != nil {
		c.fail(v, err)
		return
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil || sid <= 0 || c.cfg.OpenBlob == nil {
		c.fail(v, domain.NotFound("screenshot"))
		return
	}
	shots, err := c.svc.Life.Screenshots(r.Context(), b.ID, store.Page{AfterID: sid - 1, Limit: 1})
	if err != nil || !slices.ContainsFunc(shots, func(s store.Screenshot) bool { return s.ID == sid }) {
		c.fail(v, cmpErr(err, domain.NotFound("screenshot")))
		return
	}
	c.serveBlob(v, shots[0].Key, "image/png")
}

func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}
