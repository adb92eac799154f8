package web

import "github.com/meeboter/meeboter/internal/htmlw"

import "github.com/meeboter/meeboter/api"

// The pieces several pages share.

// csrf is the hidden field every form that changes something carries.
func (d *doc) csrf(fr *frame) {
	d.F(`<input type="hidden" name="csrf" value="%s">`, fr.CSRF)
}

// flash shows a message left by the last action, when there is one.
func (d *doc) flash(f flash) {
	if f.Text == "" {
		return
	}
	if f.Kind == "error" {
		d.F(`<p class="flash flash-%s" role="alert"><strong>Error:</strong> %s</p>`, f.Kind, f.Text)
		return
	}
	d.F(`<p class="flash flash-%s" role="status">%s</p>`, f.Kind, f.Text)
}

// time is a time as "5 min ago", with the exact time as its title and in
// machine form for the script that keeps it current; "—" for no time.
func (d *doc) time(t any) {
	if _, ok := timeOf(t); !ok {
		d.Raw("—")
		return
	}
	d.F(`<time datetime="%s" title="%s" data-rel>%s</time>`, iso(t), exact(t), ago(d.now, t))
}

// status is a bot's status as a badge.
func (d *doc) status(s api.BotStatus) {
	d.F(`<span class="%s" data-status-badge>%s</span>`, statusClass(s), statusText(s))
}

// fieldError is the message under a form field, when it has one.
func (d *doc) fieldError(msg string) {
	if msg != "" {
		d.F(`<p class="field-error" role="alert">%s</p>`, msg)
	}
}

// secret shows a new secret once, with a button to copy it.
func (d *doc) secret(s secretView) {
	d.F(`
<div class="secret" role="region" aria-label="New secret">
  <p><strong>%s</strong> Copy it now: it is shown this once and never again.</p>
  <div class="secret-row">
    <code id="secret-value">%s</code>
    <button type="button" data-copy="secret-value">Copy</button>
  </div>
</div>
`, s.Label, s.Secret)
}

// chart draws the usage chart as inline SVG.
func (d *doc) chart(c barChart) {
	d.F(`
<svg class="chart" viewBox="0 0 %v %v" role="img" aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet">
  <title id="chart-title">%s</title>`, c.Width, c.Height, c.Title)
	for _, t := range c.Ticks {
		d.F(`
  <line class="grid" x1="%v" x2="%v" y1="%v" y2="%v"/>
  <text class="axis" x="%v" dx="-6" y="%v" dy="4" text-anchor="end">%s</text>`, c.Left, c.Width, t.Y, t.Y, c.Left, t.Y, t.Label)
	}
	for _, b := range c.Bars {
		d.F(`
  <rect class="bar" x="%v" y="%v" width="%v" height="%v"><title>%s</title></rect>`, b.X, b.Y, b.W, b.H, b.Title)
		if b.Label != "" {
			d.F(`<text class="axis" x="%v" y="%v" dy="18" text-anchor="middle">%s</text>`, b.LabelX, c.Bottom, b.Label)
		}
	}
	d.Raw("\n</svg>\n")
}

// layout writes the document around a page's content: the head, the
// menu for who is signed in, the page's flash and the footer.
func (d *doc) layout(fr *frame, content func()) {
	d.F(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>%s · meeboter</title>
<link rel="stylesheet" href="%s">
<link rel="icon" href="%s" type="image/svg+xml">
<script src="%s" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">meeboter</a>`, fr.Title, assetURL("app.css"), assetURL("icon.svg"), assetURL("app.js"))
	if fr.User != nil {
		d.menu(fr)
	} else {
		d.Raw(`
  <nav aria-label="Main"><ul><li><a href="/docs">API docs</a></li></ul></nav>`)
	}
	d.Raw(`
</header>
<main id="main" tabindex="-1">
`)
	d.flash(fr.Flash.At(""))
	content()
	d.Raw(`
</main>
<footer class="foot">meeboter`)
	if fr.Version != "" {
		d.F(" %s", fr.Version)
	}
	d.Raw(` · <a href="/docs">API reference</a> · <a href="/openapi.json">openapi.json</a></footer>
</body>
</html>`)
}

// menu is the signed-in header: the pages, the admin's extra ones, and
// who is signed in with a way out.
func (d *doc) menu(fr *frame) {
	d.Raw(`
  <nav aria-label="Main">
    <ul>`)
	items := menuItems
	if fr.Admin {
		items = append(items[:len(items):len(items)], adminMenuItems...)
	}
	for _, it := range items {
		current := htmlw.Markup("")
		if fr.Nav == it.nav {
			current = ` aria-current="page"`
		}
		d.F(`
      <li><a href="%s"%s>%s</a></li>`, it.href, current, it.label)
	}
	d.Raw(`
      <li><a href="/docs">API docs</a></li>
    </ul>
  </nav>
  <form class="who" method="post" action="/signout">
    `)
	d.csrf(fr)
	d.F(`
    <span class="email" title="signed in as %s (%s)">%s</span>
    <button type="submit" class="link">Sign out</button>
  </form>`, fr.User.Email, fr.User.Role, fr.User.Email)
}

// menuItem is an entry of the header's menu; nav is what a view names
// to mark it current.
type menuItem struct{ nav, href, label string }

var (
	menuItems      = []menuItem{{"bots", "/bots", "Bots"}, {"new", "/bots/new", "New bot"}, {"keys", "/keys", "Keys"}, {"usage", "/usage", "Usage"}}
	adminMenuItems = []menuItem{{"pool", "/pool", "Pool and queue"}, {"users", "/users", "Users"}}
)
