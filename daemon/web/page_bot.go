package web

import (
	"github.com/meeboter/meeboter/internal/htmlw"

	"maps"
	"slices"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// botPage is one bot: its actions, details and timeline, log, chat,
// events and screenshots. The outer data-live element tells the script
// where to carry the live stream on from.
func (d *doc) botPage(fr *frame) {
	data := fr.Data.(botData)
	b := data.Bot
	d.F(`
<div data-live="/bots/%d/live?events=%d&amp;logs=%d" data-bot-id="%d">
<div class="page-head">
  <h1>%s <span class="muted">#%d</span></h1>
  `, b.ID, data.LastEvent, data.LastLog, b.ID, b.DisplayName, b.ID)
	d.status(b.Status)
	d.Raw(`
</div>
<p class="crumbs"><a href="/bots">← All bots</a></p>
`)
	d.botActions(fr, data)
	d.Raw(`
<div class="columns">`)
	d.botDetails(data)
	d.botTimeline(data.Timeline)
	d.Raw(`
</div>
`)
	d.botLog(data.Logs)
	d.botChat(fr, data)
	d.botEvents(data)
	d.botShots(data)
	d.Raw(`
</div>
`)
}

// whenHas says whether status s is in list, a space-separated list of
// statuses such as botData.LeaveWhen: whether an action applies now.
func whenHas(list string, s api.BotStatus) bool {
	return slices.Contains(strings.Fields(list), string(s))
}

// botActions is the leave and cancel buttons, each hidden (but present,
// for the script to reveal) when the bot's status does not allow it.
func (d *doc) botActions(fr *frame, data botData) {
	b := data.Bot
	d.Raw(`
<section id="actions" aria-labelledby="actions-h" class="card">
  <h2 id="actions-h" class="visually-hidden">Actions</h2>
  `)
	d.flash(fr.Flash.At("actions"))
	d.F(`
  <div class="row">
    <form method="post" action="/bots/%d/leave" data-when="%s"%s data-confirm="Ask this bot to leave its call?">
      `, b.ID, data.LeaveWhen, hidden(!whenHas(data.LeaveWhen, b.Status)))
	d.csrf(fr)
	d.F(`<button type="submit">Leave call</button>
    </form>
    <form method="post" action="/bots/%d/cancel" data-when="%s"%s data-confirm="Cancel this bot? It will not join its call.">
      `, b.ID, data.CancelWhen, hidden(!whenHas(data.CancelWhen, b.Status)))
	d.csrf(fr)
	d.F(`<button type="submit" class="danger">Cancel bot</button>
    </form>
    <p class="muted" data-when-ended="%s"%s>Nothing to do: the bot is %s.</p>
  </div>
</section>
`, data.LeaveWhen, hidden(whenHas(data.LeaveWhen, b.Status)), statusText(b.Status))
}

// botDetails is the bot's fields; the data-field ones the script updates.
func (d *doc) botDetails(data botData) {
	b := data.Bot
	d.F(`
<section aria-labelledby="details-h" class="card">
  <h2 id="details-h">Details</h2>
  <dl class="details">
    <dt>Status</dt><dd data-field="status">%s</dd>
    <dt>Reason</dt><dd data-field="endReason">`, statusText(b.Status))
	if b.EndReason != "" {
		d.F(`<code>%s</code>`, b.EndReason)
	} else {
		d.Raw("—")
	}
	d.F(`</dd>
    <dt>Detail</dt><dd data-field="endDetail">%s</dd>`, or(b.EndDetail, "—"))
	if b.QueuePosition != 0 {
		d.F(`
    <dt>Queue</dt><dd data-field="queue">position %d, %s</dd>`, b.QueuePosition, waitText(b.EstimatedWaitSeconds))
	}
	d.F(`
    <dt>Meeting</dt><dd class="meeting"><a href="%s" rel="noreferrer noopener" target="_blank">%s</a> (%s)</dd>
    <dt>Join at</dt><dd>`, htmlw.SafeURL(b.Meeting.MeetingURL), b.Meeting.MeetingURL, b.Meeting.Platform)
	d.time(b.JoinAt)
	d.Raw(`</dd>
    <dt>Created</dt><dd>`)
	d.time(b.CreatedAt)
	d.F(`</dd>
    <dt>Runs on</dt><dd data-field="deploymentPlatform">%s</dd>
    <dt>Resource</dt><dd data-field="platformId"><code>%s</code></dd>
    <dt>Last heartbeat</dt><dd data-field="lastHeartbeatAt">`, or(b.DeploymentPlatform, "—"), or(b.PlatformID, "—"))
	d.time(b.LastHeartbeatAt)
	d.Raw(`</dd>
    <dt>Joined</dt><dd data-field="joinedAt">`)
	d.time(b.JoinedAt)
	d.Raw(`</dd>
    <dt>Ended</dt><dd data-field="endedAt">`)
	d.time(b.EndedAt)
	d.F(`</dd>
    <dt>Log level</dt><dd>%s</dd>
    <dt>Metadata</dt><dd>`, b.LogLevel)
	d.botMetadata(b.Metadata)
	d.Raw(`</dd>
    <dt>Recording</dt><dd>`)
	d.botRecording(data.Recording)
	d.Raw(`</dd>
  </dl>
</section>
`)
}

// botMetadata is the bot's metadata pairs, by key as the template's range
// ordered them.
func (d *doc) botMetadata(m map[string]string) {
	if len(m) == 0 {
		d.Raw("none")
		return
	}
	d.Raw(`<ul class="meta">`)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		d.F(`<li><code>%s</code> = %s</li>`, k, m[k])
	}
	d.Raw(`</ul>`)
}

// botRecording says where the recording is, as far as the console knows.
func (d *doc) botRecording(r recording) {
	switch {
	case r.URL != "":
		d.F(`<a href="%s" rel="noreferrer">Download the recording</a>`, htmlw.SafeURL(r.URL))
	case r.Key != "":
		d.F(`Stored by the bot at <code>%s</code>; the console links it once the daemon keeps recordings in its blob store.`, r.Key)
	case r.Enabled:
		d.Raw(`Recording is on; the bot reports it when it finishes.`)
	default:
		d.Raw(`Not requested.`)
	}
}

// botTimeline is the statuses the bot went through, with their reasons.
func (d *doc) botTimeline(steps []step) {
	d.Raw(`
<section aria-labelledby="timeline-h" class="card">
  <h2 id="timeline-h">Status timeline</h2>
  <ol class="timeline" data-timeline>`)
	for _, s := range steps {
		d.Raw(`
    <li>`)
		d.status(s.Status)
		d.Raw(" ")
		d.time(s.At)
		if s.Reason != "" {
			d.F(` <code class="reason">%s</code>`, s.Reason)
		}
		if s.Detail != "" {
			d.F(` <span class="muted">%s</span>`, s.Detail)
		}
		d.Raw(`</li>`)
	}
	d.Raw(`
  </ol>
</section>
`)
}

// botLog is the tail of the bot's log; data-key lets the script skip
// lines the stream sends again.
func (d *doc) botLog(logs []api.LogEntry) {
	d.Raw(`
<section aria-labelledby="log-h" class="card">
  <div class="section-head">
    <h2 id="log-h">Log</h2>
    <label class="check"><input type="checkbox" data-follow checked> Follow new lines</label>
  </div>
  <div class="log" data-log tabindex="0" role="log" aria-label="Bot log">`)
	for _, l := range logs {
		d.F(`
    <div class="line lv-%s" data-key="%s|%d"><time datetime="%s" title="%s">%s</time> <span class="lv">%s</span> %s</div>`,
			l.Level, l.EntryID, l.Time.UnixMilli(), iso(l.Time), exact(l.Time), l.Time.UTC().Format("15:04:05"), l.Level, l.Message)
	}
	d.F(`
    <p class="empty-line"%s data-log-empty>No log lines yet. They appear here as the bot sends them.</p>
  </div>
</section>
`, hidden(len(logs) > 0))
}

// botChat is the messages sent to the meeting's chat and the form to send
// one, hidden like the leave button once the bot is gone.
func (d *doc) botChat(fr *frame, data botData) {
	b := data.Bot
	d.Raw(`
<section id="chat" aria-labelledby="chat-h" class="card">
  <h2 id="chat-h">Chat</h2>
  `)
	d.flash(fr.Flash.At("chat"))
	if len(data.Chat) > 0 {
		d.Raw(`
  <ol class="chat" data-chat>`)
		for _, m := range data.Chat {
			d.F(`<li><span class="msg">%s</span> <span class="muted">%s · `, m.Text, m.Status)
			d.time(m.EnqueuedAt)
			d.Raw(`</span></li>`)
		}
		d.Raw(`
  </ol>`)
	} else {
		d.Raw(`
  <p class="muted">No messages yet. What you send here, the bot posts in the meeting's chat.</p>`)
	}
	d.F(`
  <form method="post" action="/bots/%d/chat" class="inline" data-when="%s"%s>
    `, b.ID, data.LeaveWhen, hidden(!whenHas(data.LeaveWhen, b.Status)))
	d.csrf(fr)
	d.Raw(`
    <label for="chat-text" class="visually-hidden">Message</label>
    <input id="chat-text" name="text" maxlength="500" required placeholder="Message for the meeting chat">
    <button type="submit">Send</button>
  </form>
</section>
`)
}

// botEvents is the table of the bot's events, with their data as compact
// JSON.
func (d *doc) botEvents(data botData) {
	d.Raw(`
<section aria-labelledby="events-h" class="card">
  <h2 id="events-h">Events</h2>
  <div class="table-wrap">
  <table class="events">
    <thead><tr><th scope="col">Event</th><th scope="col">When</th><th scope="col">Data</th></tr></thead>
    <tbody data-events>`)
	for _, e := range data.Events {
		d.F(`
    <tr data-key="%s|%d"><td><code>%s</code></td><td>`, e.Type, e.Time.UnixMilli(), e.Type)
		d.time(e.Time)
		d.F(`</td><td class="data"><code>%s</code></td></tr>`, compactJSON(e.Data))
	}
	d.Raw(`
    </tbody>
  </table>
  </div>
  `)
	if len(data.Events) == 0 {
		d.Raw(`<p class="muted" data-events-empty>No events yet.</p>`)
	}
	d.Raw("\n  ")
	if data.MoreEvent {
		d.F(`<p class="muted">Showing the first %d events; <code>meeboter bot events %d</code> pages through all.</p>`, len(data.Events), data.Bot.ID)
	}
	d.Raw(`
</section>
`)
}

// botShots is the bot's screenshots, with the images themselves when the
// daemon can serve them.
func (d *doc) botShots(data botData) {
	d.Raw(`
<section aria-labelledby="shots-h" class="card">
  <h2 id="shots-h">Screenshots</h2>`)
	if len(data.Shots) == 0 {
		d.Raw(`
  <p class="muted">No screenshots. Bots upload one when something goes wrong or their state changes.</p>
</section>`)
		return
	}
	d.Raw(`
  <ul class="shots">`)
	for _, s := range data.Shots {
		d.Raw(`
    <li><figure>`)
		if data.Images {
			d.F(`<a href="/bots/%d/screenshots/%d"><img src="/bots/%d/screenshots/%d" alt="Screenshot %d: %s in %s" loading="lazy" width="320" height="180"></a>`,
				data.Bot.ID, s.ID, data.Bot.ID, s.ID, s.ID, s.Type, s.State)
		}
		d.F(`
      <figcaption><code>%s</code> in %s`, s.Type, s.State)
		if s.Trigger != "" {
			d.F(` (%s)`, s.Trigger)
		}
		d.Raw(" · ")
		d.time(s.CapturedAt)
		d.F(` · %s</figcaption>
    </figure></li>`, byteSize(s.Size))
	}
	d.Raw(`
  </ul>
</section>`)
}
