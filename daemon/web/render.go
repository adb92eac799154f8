package web

import (
	"cmp"
	"net/http"

	"github.com/meeboter/meeboter/store"
)

// frame is what the layout renders around every page.
type frame struct {
	Title   string
	Nav     string
	Version string
	User    *store.User // nil when signed out
	Admin   bool
	CSRF    string
	Flash   flash
	Data    any
}

// render writes a page. Pages are never cached: they show one person's
// data.
func (c *Console) render(v *visit, vw view) {
	write, ok := pageWriters[vw.page]
	if !ok {
		c.log.Error("console page has no writer", "page", vw.page)
		http.Error(v.w, "internal error", http.StatusInternalServerError)
		return
	}
	fr := frame{Title: vw.title, Nav: vw.nav, Version: c.cfg.Version, Flash: v.flash, Data: vw.data}
	if v.active.Session.ID != 0 {
		u := v.active.Caller.User
		fr.User, fr.Admin, fr.CSRF = &u, v.active.Caller.Admin(), v.active.CSRF
	}
	d := &doc{now: c.now()}
	d.layout(&fr, func() { write(d, &fr) })
	h := v.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	v.w.WriteHeader(cmp.Or(vw.status, http.StatusOK))
	_, _ = v.w.Write(d.Bytes())
}
