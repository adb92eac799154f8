package web

// newbotPage is the New bot form: the meeting and name, when to join, the
// limits, the recording and webhook, then the metadata rows. It is shown
// empty and again, filled in, beside each field's error.
func (d *doc) newbotPage(fr *frame) {
	f := fr.Data.(newBotForm)
	d.Raw(`
<h1>New bot</h1>
<form method="post" action="/bots/new" class="form wide" novalidate>
  `)
	d.csrf(fr)
	if f.Error != "" {
		d.F(`<p class="flash flash-error" role="alert"><strong>Error:</strong> %s</p>`, f.Error)
	}
	if len(f.Errors) > 0 {
		d.Raw(`<p class="flash flash-error" role="alert">Some fields need fixing; each says why below it.</p>`)
	}
	d.F(`

  <div class="field">
    <label for="meetingUrl">Meeting URL <span class="req">required</span></label>
    <input id="meetingUrl" name="meeting.meetingUrl" type="url" value="%s" required placeholder="https://meet.google.com/abc-defg-hij"
      aria-describedby="meetingUrl-hint"%s>
    <p class="hint" id="meetingUrl-hint">Google Meet, Microsoft Teams or Zoom; the platform is read from the URL.</p>
    `, f.MeetingURL, invalid(f.Errors["meeting.meetingUrl"]))
	d.fieldError(f.Errors["meeting.meetingUrl"])
	d.fieldError(f.Errors["meeting.platform"])
	d.F(`
  </div>

  <div class="field">
    <label for="displayName">Name in the meeting</label>
    <input id="displayName" name="displayName" value="%s" maxlength="255" placeholder="Meeboter"%s>
    `, f.DisplayName, invalid(f.Errors["displayName"]))
	d.fieldError(f.Errors["displayName"])
	d.Raw(`
  </div>
`)
	d.newbotWhen(f)
	d.newbotLimits(f)
	d.newbotDelivery(f)
	d.newbotMeta(f)
	d.Raw(`

  <div class="actions">
    <button type="submit" class="primary">Create bot</button>
    <a href="/bots">Cancel</a>
  </div>
</form>
`)
}

// newbotWhen is when the bot joins: a local time in a zone, which the
// script fills in from the browser.
func (d *doc) newbotWhen(f newBotForm) {
	d.F(`
  <fieldset class="group">
    <legend>When to join</legend>
    <div class="field">
      <label for="joinAt">Join at</label>
      <input id="joinAt" name="joinAt" type="datetime-local" value="%s" aria-describedby="joinAt-hint"%s>
      <p class="hint" id="joinAt-hint">Leave empty to join as soon as there is room. At most 90 days ahead.</p>
      `, f.JoinAt, invalid(f.Errors["joinAt"]))
	d.fieldError(f.Errors["joinAt"])
	d.F(`
    </div>
    <div class="field">
      <label for="timeZone">Time zone</label>
      <input id="timeZone" name="timeZone" value="%s" data-browser-zone list="zones" spellcheck="false"%s>
      <datalist id="zones"><option value="UTC"><option value="Europe/London"><option value="Europe/Paris"><option value="America/New_York"><option value="America/Los_Angeles"><option value="Asia/Tokyo"></datalist>
      `, f.TimeZone, invalid(f.Errors["timeZone"]))
	d.fieldError(f.Errors["timeZone"])
	d.Raw(`
    </div>
  </fieldset>
`)
}

// newbotLimits is the row of small fields: how long the bot stays, its
// place in the queue and how much it logs.
func (d *doc) newbotLimits(f newBotForm) {
	d.F(`
  <div class="field-row">
    <div class="field">
      <label for="maxDurationMinutes">Longest stay (minutes)</label>
      <input id="maxDurationMinutes" name="maxDurationMinutes" inputmode="numeric" value="%s" placeholder="60"%s>
      `, f.MaxMinutes, invalid(f.Errors["maxDurationMinutes"]))
	d.fieldError(f.Errors["maxDurationMinutes"])
	d.F(`
    </div>
    <div class="field">
      <label for="priority">Queue priority</label>
      <input id="priority" name="priority" inputmode="numeric" value="%s" placeholder="0" aria-describedby="priority-hint"%s>
      <p class="hint" id="priority-hint">0 is admitted first, 9 last.</p>
      `, f.Priority, invalid(f.Errors["priority"]))
	d.fieldError(f.Errors["priority"])
	d.Raw(`
    </div>
    <div class="field">
      <label for="logLevel">Log level</label>
      <select id="logLevel" name="logLevel">`)
	for _, l := range f.LogLevels {
		d.F(`<option%s>%s</option>`, sel(l == f.LogLevel), l)
	}
	d.Raw(`
      </select>
      `)
	d.fieldError(f.Errors["logLevel"])
	d.Raw(`
    </div>
  </div>
`)
}

// newbotDelivery is what the bot leaves behind: a recording, and a
// webhook told when it ends.
func (d *doc) newbotDelivery(f newBotForm) {
	d.F(`
  <div class="field">
    <label class="check"><input type="checkbox" name="recordingEnabled"%s> Record the meeting</label>
    `, checked(f.Recording))
	d.fieldError(f.Errors["recordingEnabled"])
	d.F(`
  </div>

  <div class="field">
    <label for="callbackUrl">Webhook URL</label>
    <input id="callbackUrl" name="callbackUrl" type="url" value="%s" placeholder="https://example.com/hooks/meeboter" aria-describedby="callbackUrl-hint"%s>
    <p class="hint" id="callbackUrl-hint">Told when the bot ends, with a signed POST.</p>
    `, f.CallbackURL, invalid(f.Errors["callbackUrl"]))
	d.fieldError(f.Errors["callbackUrl"])
	d.Raw(`
  </div>
`)
}

// newbotMeta is the metadata as key/value rows, each with its own error;
// the script adds and removes rows.
func (d *doc) newbotMeta(f newBotForm) {
	d.Raw(`
  <fieldset class="group" data-meta-rows>
    <legend>Metadata</legend>
    <p class="hint">Your own labels, to filter bots by. Keys are letters, digits and <code>_ . - /</code>.</p>
    `)
	d.fieldError(f.Errors["metadata"])
	for i, row := range f.Meta {
		d.F(`
    <div class="meta-row" data-meta-row>
      <label class="visually-hidden" for="mk%d">Key</label>
      <input id="mk%d" name="metadata.key" value="%s" placeholder="key"%s>
      <label class="visually-hidden" for="mv%d">Value</label>
      <input id="mv%d" name="metadata.value" value="%s" placeholder="value">
      <button type="button" class="link" data-meta-remove aria-label="Remove this row">Remove</button>
      `, i, i, row.Key, invalid(row.Error), i, i, row.Value)
		d.fieldError(row.Error)
		d.Raw(`
    </div>`)
	}
	d.Raw(`
    <button type="button" data-meta-add>Add a row</button>
  </fieldset>`)
}
