package web

import "github.com/meeboter/meeboter/internal/htmlw"

import "github.com/meeboter/meeboter/api"

// keysPage is the API keys page: a key just made (its secret shown this
// once), the form to make one, the keys, then the log of their requests.
func (d *doc) keysPage(fr *frame) {
	k := fr.Data.(*keysData)
	d.Raw(`
<h1>API keys</h1>
`)
	if k.Created != nil {
		d.secret(*k.Created)
	}
	d.Raw(`

<section aria-labelledby="new-key-h" class="card">
  <h2 id="new-key-h">Create a key</h2>
  <form method="post" action="/keys" class="form inline-fields" novalidate>
    `)
	d.csrf(fr)
	d.F(`
    <div class="field">
      <label for="key-name">Name</label>
      <input id="key-name" name="name" value="%s" maxlength="255" required placeholder="ci"%s>
      `, k.Name, invalid(k.Errors["name"]))
	d.fieldError(k.Errors["name"])
	d.F(`
    </div>
    <div class="field">
      <label for="key-days">Expires in (days)</label>
      <input id="key-days" name="expiresInDays" inputmode="numeric" value="%s" placeholder="180"%s>
      `, k.Days, invalid(k.Errors["expiresInDays"]))
	d.fieldError(k.Errors["expiresInDays"])
	d.Raw(`
    </div>
    <div class="actions"><button type="submit" class="primary">Create key</button></div>
  </form>
</section>
`)
	d.keysTable(fr, k)
	d.keysLog(k)
}

// keysTable lists the keys, marking the one this browser acts as, with a
// revoke button on each that still works.
func (d *doc) keysTable(fr *frame, k *keysData) {
	d.Raw(`
<section aria-labelledby="keys-h" class="card">
  <h2 id="keys-h">Your keys</h2>
  `)
	d.flash(fr.Flash.At("keys"))
	d.Raw(`
  <div class="table-wrap">
  <table>
    <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">State</th><th scope="col">Created</th><th scope="col" class="opt">Last used</th><th scope="col" class="opt">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>`)
	for _, key := range k.Keys {
		d.keyRow(fr, key, key.ID == k.Current)
	}
	d.Raw(`
    </tbody>
  </table>
  </div>
</section>
`)
}

// keyRow is one key; current says it is the key this browser acts as,
// which revoking signs out.
func (d *doc) keyRow(fr *frame, key api.APIKey, current bool) {
	d.F(`
    <tr data-key-id="%d">
      <td>%s`, key.ID, key.Name)
	if current {
		d.Raw(` <span class="tag">this browser</span>`)
	}
	d.F(`</td>
      <td><code>%s…</code></td>
      <td>`, key.Prefix)
	if key.RevokedAt != nil {
		d.Raw(`<span class="st st-fatal">revoked</span>`)
	} else {
		d.Raw(`<span class="st st-in_call">active</span>`)
	}
	d.Raw(`</td>
      <td>`)
	d.time(key.CreatedAt)
	d.Raw(`</td>
      <td class="opt">`)
	d.time(key.LastUsedAt)
	d.Raw(`</td>
      <td class="opt">`)
	if key.ExpiresAt != nil {
		d.time(key.ExpiresAt)
	} else {
		d.Raw("never")
	}
	d.Raw(`</td>
      <td>`)
	if key.RevokedAt == nil {
		signout := htmlw.Markup("")
		if current {
			signout = ", and this browser is signed out"
		}
		d.F(`
        <form method="post" action="/keys/%d/revoke" data-confirm="Revoke key %s? Everything using it stops working%s.">
          `, key.ID, key.Name, signout)
		d.csrf(fr)
		d.Raw(`<button type="submit" class="danger small">Revoke</button>
        </form>`)
	}
	d.Raw(`</td>
    </tr>`)
}

// keysLog is the latest requests made with the caller's keys, a page at
// a time.
func (d *doc) keysLog(k *keysData) {
	d.Raw(`
<section id="log" aria-labelledby="log-h" class="card">
  <h2 id="log-h">Request log</h2>`)
	if len(k.Logs) == 0 {
		d.Raw(`
  <p class="muted">No API requests yet. Requests made with your keys (from the CLI, scripts, CI) are listed here; the console's own pages are not.</p>
</section>
`)
		return
	}
	d.Raw(`
  <div class="table-wrap">
  <table>
    <thead><tr><th scope="col">When</th><th scope="col">Key</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col" class="opt">Time</th><th scope="col" class="opt">From</th></tr></thead>
    <tbody>`)
	for _, l := range k.Logs {
		d.Raw(`
    <tr><td>`)
		d.time(l.CreatedAt)
		d.F(`</td><td>%d</td><td><code>%s %s</code></td>
      <td><span class="code code-%d">%d</span></td><td class="opt">%d ms</td><td class="opt">%s</td></tr>`,
			l.KeyID, l.Method, l.Path, l.Status, l.Status, l.DurationMS, l.IP)
	}
	d.Raw(`
    </tbody>
  </table>
  </div>
  `)
	if k.OlderLogs != "" {
		d.F(`<p class="pager"><a href="%s">Older requests →</a></p>`, htmlw.SafeURL(k.OlderLogs))
	}
	d.Raw(`
</section>
`)
}
