package web

// errorPage says what went wrong and where to go next: the user's bots,
// or signing in for someone signed out.
func (d *doc) errorPage(fr *frame) {
	p := fr.Data.(problem)
	d.F(`
<h1>%s</h1>
<p class="flash flash-error" role="alert">%s</p>
<p>`, p.Title, p.Detail)
	if p.Status == 404 {
		d.Raw(`It may belong to someone else, or never have existed. `)
	}
	if fr.User != nil {
		d.Raw(`Go to <a href="/bots">your bots</a>.`)
	} else {
		d.Raw(`<a href="/signin">Sign in</a>.`)
	}
	d.Raw(`</p>
`)
}

// secretPage shows a new key once to someone who has just been signed
// out by resetting their keys, with the way back in.
func (d *doc) secretPage(fr *frame) {
	d.F(`
<h1>%s</h1>
`, fr.Title)
	d.secret(fr.Data.(secretView))
	d.Raw(`<p><a href="/signin">Sign in with it</a>.</p>
`)
}
