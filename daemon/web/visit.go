package web

import (
	"errors"
	"net/http"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/session"
)

// visit is one request to a console page: the request, the signed-in
// session (zero on public pages), and the message the previous page left.
type visit struct {
	w      http.ResponseWriter
	r      *http.Request
	active session.Active
	flash  flash
}

func (v *visit) caller() domain.Caller { return v.active.Caller }

// handler is the shape of every page: read the request, call a service,
// return what to show (a view), where to go (a redirect), or an error for
// fail to map. Writing, error mapping and logging happen once, in serve.
type handler func(v *visit) (result, error)

// result is a view or a redirect.
type result interface{ isResult() }

// view renders page inside the layout.
type view struct {
	page   string // the page's writer in pageWriters
	title  string
	nav    string // the menu entry to mark current
	status int    // 0: 200
	data   any
}

// redirect sends the browser to a console path with 303 See Other, so a
// reload does not repeat a POST, leaving a message for the next page.
type redirect struct {
	to    string
	flash flash
}

func (view) isResult()     {}
func (redirect) isResult() {}

// maxForm bounds a form body: the largest is a new bot with metadata rows.
const maxForm = 256 << 10

// serve runs a route: the session (or, on a public POST, the pre-session
// token), CSRF and origin checks for POSTs, the handler, then the result.
func (c *Console) serve(rt route) http.Handler {
	return headers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &visit{w: w, r: r}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				c.fail(v, domain.BadRequest("the form could not be read: %v", err))
				return
			}
		}
		if !rt.public && !c.begin(v) {
			return
		}
		if rt.public && r.Method == http.MethodPost {
			if err := c.checkPreSession(r); err != nil {
				c.fail(v, err)
				return
			}
		}
		if r.Method == http.MethodGet {
			v.flash = takeFlash(w, r)
		}
		res, err := rt.h(v)
		if err != nil {
			c.fail(v, err)
			return
		}
		c.finish(v, res)
	}))
}

// begin authenticates the session of a page that needs one, and checks a
// POST came from one of its own forms. It answers the request itself and
// returns false when the page may not be served.
func (c *Console) begin(v *visit) bool {
	a, err := c.session(v.r)
	switch {
	case errors.Is(err, session.ErrNoSession):
		c.clearSession(v.w, v.r)
		c.toSignin(v)
		return false
	case err != nil:
		c.fail(v, err)
		return false
	}
	v.active = a
	if v.r.Method == http.MethodPost {
		if err := c.checkForm(v.r, a.CSRF); err != nil {
			c.fail(v, err)
			return false
		}
	}
	return true
}

func (c *Console) finish(v *visit, res result) {
	switch res := res.(type) {
	case view:
		c.render(v, res)
	case redirect:
		if res.flash.Text != "" {
			setFlash(v.w, c.secureFor(v.r), res.flash)
		}
		http.Redirect(v.w, v.r, res.to, http.StatusSeeOther)
	}
}
