package web

import "github.com/meeboter/meeboter/internal/htmlw"

import "github.com/meeboter/meeboter/api"

// botsPage is the list of bots: the filter form, then the page of bots
// with the bulk actions.
func (d *doc) botsPage(fr *frame, b botsData) {
	d.Raw(`
<div class="page-head">
  <h1>Bots</h1>
  <a class="button primary" href="/bots/new">New bot</a>
</div>
`)
	d.botFilters(b)
	d.Raw(`
<form method="post" action="/bots/bulk" class="bulk" data-bulk>
  `)
	d.csrf(fr)
	d.F(`
  <input type="hidden" name="back" value="%s">
  `, b.Back)
	d.flash(fr.Flash.At("bulk"))
	d.Raw(`
  <p class="live-notice" data-live-notice hidden role="status"></p>`)
	switch {
	case len(b.Bots) > 0:
		d.botsTable(b.Bots)
	case b.Filtered:
		d.Raw(`
  <div class="empty">
    <p>No bots match these filters.</p>
    <p><a href="/bots">Clear the filters</a> to see every bot.</p>
  </div>`)
	default:
		d.Raw(`
  <div class="empty" data-live="/live">
    <p>No bots yet.</p>
    <p><a class="button primary" href="/bots/new">Send your first bot</a> or, from a terminal:
      <code>meeboter bot create --meeting-url https://meet.google.com/abc-defg-hij</code></p>
  </div>`)
	}
	d.Raw(`
</form>
`)
	if b.Older != "" {
		d.F(`<p class="pager"><a href="%s">Older bots →</a></p>`, htmlw.SafeURL(b.Older))
	}
}

func (d *doc) botFilters(b botsData) {
	active, note := htmlw.Markup(""), htmlw.Markup("")
	if b.Filtered {
		active, note = " data-active", " (filtered)"
	}
	d.F(`
<details class="filter-box" open data-fold-narrow%s>
<summary>Filter and sort%s</summary>
<form method="get" action="/bots" class="filters" aria-label="Filter bots">
  <fieldset class="statuses">
    <legend>Status</legend>`, active, note)
	for _, s := range b.Statuses {
		d.F(`
    <label class="check"><input type="checkbox" name="status" value="%s"%s> %s</label>`, s, checked(b.Filter.Status[s]), statusText(s))
	}
	d.fieldError(b.Errors["status"])
	d.Raw(`
  </fieldset>
  <div class="field">
    <label for="f-platform">Platform</label>
    <select id="f-platform" name="platform">
      <option value="">any</option>`)
	for _, p := range b.Platforms {
		d.F(`<option value="%s"%s>%s</option>`, p, sel(p == b.Filter.Platform), p)
	}
	d.Raw(`
    </select>
    `)
	d.fieldError(b.Errors["platform"])
	d.F(`
  </div>
  <div class="field">
    <label for="f-metadata">Metadata</label>
    <input id="f-metadata" name="metadata" value="%s" placeholder="key=value, key2=value2" aria-describedby="f-metadata-hint">
    <p class="hint" id="f-metadata-hint">Every pair must match.</p>
    `, b.Filter.Metadata)
	d.fieldError(b.Errors["metadata"])
	d.Raw(`
  </div>
  <div class="field">
    <label for="f-sort">Sort this page by</label>
    <select id="f-sort" name="sort">`)
	for _, s := range b.Sorts {
		d.F(`<option value="%s"%s>%s</option>`, s[0], sel(s[0] == b.Filter.Sort), s[1])
	}
	d.Raw(`
    </select>
    `)
	d.fieldError(b.Errors["sort"])
	d.Raw(`
  </div>
  <div class="actions">
    <button type="submit">Apply</button>
    `)
	if b.Filtered {
		d.Raw(`<a href="/bots">Clear filters</a>`)
	}
	d.Raw(`
  </div>
</form>
</details>
`)
}

func (d *doc) botsTable(bots []api.Bot) {
	d.Raw(`
  <div class="bulk-bar">
    <span><span data-selected>0</span> selected</span>
    <button type="submit" name="action" value="leave" data-confirm="Ask the selected bots to leave their calls?">Leave selected</button>
    <button type="submit" name="action" value="cancel" data-confirm="Cancel the selected bots? Bots in a call are not cancelled: ask them to leave.">Cancel selected</button>
  </div>
  <div class="table-wrap">
  <table class="bots" data-live="/live">
    <caption class="visually-hidden">Your bots</caption>
    <thead><tr>
      <th scope="col"><input type="checkbox" data-select-all aria-label="Select every bot on this page"></th>
      <th scope="col">Bot</th><th scope="col">Status</th><th scope="col" class="opt">Platform</th>
      <th scope="col" class="opt">Meeting</th><th scope="col">Created</th><th scope="col" class="opt">Updated</th>
    </tr></thead>
    <tbody>`)
	for _, b := range bots {
		d.F(`
    <tr data-bot-id="%d" data-status="%s">
      <td><input type="checkbox" name="id" value="%d" aria-label="Select bot %d, %s"></td>
      <td><a href="/bots/%d">%s</a> <span class="muted">#%d</span></td>
      <td>`, b.ID, b.Status, b.ID, b.ID, b.DisplayName, b.ID, b.DisplayName, b.ID)
		d.status(b.Status)
		d.Raw(`
        <span class="reason" data-reason>`)
		switch {
		case b.EndReason != "":
			d.Text(b.EndReason)
		case b.QueuePosition != 0:
			d.F("position %d, %s", b.QueuePosition, waitText(b.EstimatedWaitSeconds))
		case b.Status == api.StatusScheduled:
			d.Raw("joins ")
			d.time(b.JoinAt)
		}
		d.F(`</span></td>
      <td class="opt">%s</td>
      <td class="opt meeting"><span title="%s">%s</span></td>
      <td>`, b.Meeting.Platform, b.Meeting.MeetingURL, b.Meeting.MeetingURL)
		d.time(b.CreatedAt)
		d.Raw(`</td>
      <td class="opt" data-updated>`)
		d.time(b.UpdatedAt)
		d.Raw(`</td>
    </tr>`)
	}
	d.Raw(`
    </tbody>
  </table>
  </div>`)
}
