package web

import "github.com/meeboter/meeboter/internal/htmlw"

// signinPage asks for an API key; there is no session yet, so the form
// carries the pre-session token.
func (d *doc) signinPage(fr *frame) {
	s := fr.Data.(signinData)
	errAttrs := htmlw.Markup("")
	if s.Error != "" {
		errAttrs = ` aria-invalid="true" aria-describedby="key-error"`
	}
	d.F(`
<section class="narrow">
<h1>Sign in</h1>
<p>Paste one of your API keys. On the daemon's machine, <code>meeboter open</code> signs you in without one.</p>
<form method="post" action="/signin" class="form">
  <input type="hidden" name="csrf" value="%s">
  <input type="hidden" name="next" value="%s">
  <div class="field">
    <label for="key">API key</label>
    <input id="key" name="key" type="password" autocomplete="off" spellcheck="false" required placeholder="mbk_…"%s>
    `, s.Token, s.Next, errAttrs)
	if s.Error != "" {
		d.F(`<p class="field-error" id="key-error" role="alert">%s</p>`, s.Error)
	}
	d.Raw(`
  </div>
  <button type="submit" class="primary">Sign in</button>
</form>
<p class="hint">Your session ends when you sign out, after a while unused, or when the key is revoked.</p>
</section>
`)
}

// linkPage is a one-time link's form, posted by the script at once (or by
// one click), so a prefetch of the GET never uses the link up.
func (d *doc) linkPage(fr *frame) {
	s := fr.Data.(signinData)
	d.F(`
<section class="narrow">
<h1>Signing you in…</h1>
<form method="post" action="/signin/link" class="form" data-autosubmit>
  <input type="hidden" name="csrf" value="%s">
  <input type="hidden" name="token" value="%s">
  <p>This one-time link signs this browser in to the console.</p>
  <button type="submit" class="primary">Continue</button>
</form>
</section>
`, s.Token, s.Link)
}
