package web

import (
	"github.com/meeboter/meeboter/internal/htmlw"

	"fmt"
	"strconv"
)

// usagePage is the plan with today's allowance, then bots per day over a
// range of local days.
func (d *doc) usagePage(fr *frame) {
	u := fr.Data.(usageData)
	d.Raw(`
<h1>Usage</h1>
`)
	d.usagePlan(u)
	d.usageRange(u)
}

// usagePlan is the plan and how much of today's allowance is left.
func (d *doc) usagePlan(u usageData) {
	d.F(`
<section aria-labelledby="plan-h" class="card">
  <h2 id="plan-h">Plan</h2>
  <dl class="details plan">
    <dt>Plan</dt><dd>%s</dd>
    <dt>Daily limit</dt><dd>%s</dd>
    <dt>Used today</dt><dd>%d</dd>
    <dt>Left today</dt><dd>%s</dd>
    <dt>Resets</dt><dd><time datetime="%s" title="%s">%s</time> (midnight UTC)</dd>
  </dl>
</section>
`, u.Plan.Plan, allowance(u.Plan.DailyLimit), u.Plan.UsedToday, allowance(u.Plan.Remaining),
		iso(u.Plan.ResetsAt), exact(u.Plan.ResetsAt), u.ResetsLocal.Format("2 Jan 15:04 MST"))
}

// usageRange is the form picking the days, then their totals, the chart
// and the same figures as a table.
func (d *doc) usageRange(u usageData) {
	d.F(`
<section aria-labelledby="range-h" class="card">
  <h2 id="range-h">Bots per day</h2>
  <form method="get" action="/usage" class="form inline-fields">
    <div class="field">
      <label for="u-from">From</label>
      <input id="u-from" name="from" type="date" value="%s"%s>
      `, u.From, invalid(u.Errors["from"]))
	d.fieldError(u.Errors["from"])
	d.F(`
    </div>
    <div class="field">
      <label for="u-to">To</label>
      <input id="u-to" name="to" type="date" value="%s"%s>
      `, u.To, invalid(u.Errors["to"]))
	d.fieldError(u.Errors["to"])
	zone := htmlw.Markup("")
	if !u.ZoneGiven {
		zone = " data-browser-zone"
	}
	d.F(`
    </div>
    <div class="field">
      <label for="u-tz">Time zone</label>
      <input id="u-tz" name="timeZone" value="%s" spellcheck="false"%s%s>
      `, u.TimeZone, zone, invalid(u.Errors["timeZone"]))
	d.fieldError(u.Errors["timeZone"])
	d.Raw(`
    </div>
    <div class="actions"><button type="submit">Show</button></div>
  </form>`)
	if len(u.Days) > 0 {
		d.usageDays(u)
	}
	d.Raw(`
</section>
`)
}

// usageDays is the range's totals, the chart, and the table behind it
// for those who cannot see the chart.
func (d *doc) usageDays(u usageData) {
	d.F(`
  <p>%d %s and %s bot-minutes from %s to %s (%s).</p>`,
		u.TotalBots, plural(u.TotalBots, "bot", "bots"), wholeMinutes(u.TotalMinutes), u.From, u.To, u.TimeZone)
	if u.TotalBots == 0 {
		d.Raw(`<p class="muted">No bots in this range. <a href="/bots/new">Send one</a>, or pick other dates.</p>`)
	}
	d.Raw(`
  <figure class="chart-box">
    `)
	d.chart(u.Chart)
	d.Raw(`
    <figcaption class="visually-hidden">Bots per day; the table below has the same figures.</figcaption>
  </figure>
  <details>
    <summary>The figures as a table</summary>
    <div class="table-wrap">
    <table>
      <thead><tr><th scope="col">Day</th><th scope="col">Bots</th><th scope="col">Bot-minutes</th></tr></thead>
      <tbody>`)
	for _, day := range u.Days {
		d.F(`<tr><td>%s</td><td>%d</td><td>%s</td></tr>`, day.Date, day.Bots, wholeMinutes(day.BotMinutes))
	}
	d.Raw(`</tbody>
    </table>
    </div>
  </details>`)
}

// allowance is a limit, where no limit (nil) is "unlimited".
func allowance(n *int) string {
	if n == nil {
		return "unlimited"
	}
	return strconv.Itoa(*n)
}

// wholeMinutes rounds bot-minutes for reading: the fractions are noise.
func wholeMinutes(m float64) string { return fmt.Sprintf("%.0f", m) }
