package web

import (
	"bytes"
	"cmp"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/meeboter/meeboter/store"
)

// pageSet holds one template per page, each the layout and partials with
// the page's own "content" (and "title") definitions.
type pageSet struct{ byName map[string]*template.Template }

func mustParsePages(funcs template.FuncMap) *pageSet {
	files, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil || len(files) == 0 {
		panic("web: no page templates embedded")
	}
	ps := &pageSet{byName: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t := template.Must(template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials/*.html", f))
		ps.byName[name] = t
	}
	return ps
}

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

// render writes a page. It renders into a buffer first, so a template
// that fails midway is a clean 500, not half a page. Pages are never
// cached: they show one person's data.
func (c *Console) render(v *visit, vw view) {
	t, ok := c.pages.byName[vw.page]
	if !ok {
		c.log.Error("console page has no template", "page", vw.page)
		http.Error(v.w, "internal error", http.StatusInternalServerError)
		return
	}
	fr := frame{Title: vw.title, Nav: vw.nav, Version: c.cfg.Version, Flash: v.flash, Data: vw.data}
	if v.active.Session.ID != 0 {
		u := v.active.Caller.User
		fr.User, fr.Admin, fr.CSRF = &u, v.active.Caller.Admin(), v.active.CSRF
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", fr); err != nil {
		c.log.Error("render console page", "page", vw.page, "err", err)
		http.Error(v.w, "internal error", http.StatusInternalServerError)
		return
	}
	h := v.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	v.w.WriteHeader(cmp.Or(vw.status, http.StatusOK))
	_, _ = v.w.Write(buf.Bytes())
}
