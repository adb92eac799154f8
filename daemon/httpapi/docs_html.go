package httpapi

import "github.com/meeboter/meeboter/internal/htmlw"

// writeDocs lays out the reference page: a table of contents, each
// operation with its parameters and bodies, then each schema. Styles are
// inline so the page is one self-contained response.
func writeDocs(v docsView) []byte {
	var w htmlw.Writer
	w.F(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
`, v.Title)
	w.Raw(docsStyle)
	w.F(`
</head>
<body>
<h1>%s <span class="meta">version %s</span></h1>
<p>%s</p>
<p class="meta">The machine-readable document is <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<nav><ul>`, v.Title, v.Version, v.Description)
	for _, g := range v.Groups {
		w.F(`<li><a href="#tag-%s">%s</a></li>`, g.Name, g.Name)
	}
	w.Raw(`
<li><a href="#schemas">schemas</a></li>
</ul></nav>
`)
	for _, g := range v.Groups {
		w.F(`
<h2 id="tag-%s">%s</h2>
`, g.Name, g.Name)
		for _, op := range g.Ops {
			writeDocsOp(&w, op)
		}
	}
	w.Raw(`
<h2 id="schemas">Schemas</h2>
`)
	for _, s := range v.Schemas {
		writeDocsSchema(&w, s)
	}
	w.Raw(`
</body>
</html>
`)
	return w.Bytes()
}

// docsStyle is the page's style sheet.
const docsStyle htmlw.Markup = `<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem; color: #1d1f23; }
code, .path, td.type { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
h2 { border-bottom: 1px solid #ddd; margin-top: 2.5rem; text-transform: capitalize; }
.op { border: 1px solid #ddd; border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem; }
.op h3 { margin: .25rem 0; font-size: 16px; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 600; }
.GET { color: #0a6; } .POST { color: #06c; } .PATCH, .PUT { color: #b60; } .DELETE { color: #c22; }
.meta { color: #666; font-size: 13px; }
table { border-collapse: collapse; margin: .5rem 0; width: 100%; }
th, td { border-bottom: 1px solid #eee; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { font-size: 12px; color: #666; text-transform: uppercase; }
.req { color: #c22; font-size: 12px; }
nav ul { columns: 3; padding-left: 1rem; }
</style>`

func writeDocsOp(w *htmlw.Writer, op docsOp) {
	w.F(`
<section class="op" id="%s">
<h3><span class="method %s">%s</span> <span class="path">%s</span></h3>
<p>%s</p>
<p class="meta">Authentication: %s</p>`, op.ID, op.Method, op.Method, op.Path, op.Summary, op.Auth)
	if len(op.Params) > 0 {
		w.Raw(`
<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>`)
		for _, p := range op.Params {
			w.F(`
<tr><td><code>%s</code>%s</td><td>%s</td><td class="type">`, p.Name, requiredMark(p.Required), p.In)
			writeDocsType(w, p.Type)
			w.F(`</td><td>%s</td></tr>`, p.Description)
		}
		w.Raw("\n</table>")
	}
	if b := op.Body; b != nil {
		w.F(`
<p><strong>Request body</strong> (%s): `, b.ContentType)
		if b.Type != nil {
			writeDocsType(w, *b.Type)
		}
		if b.Description != "" {
			w.F(" — %s", b.Description)
		}
		w.Raw("</p>")
	}
	w.Raw(`
<table><tr><th>Status</th><th>Body</th><th>Description</th></tr>`)
	for _, r := range op.Responses {
		w.F(`
<tr><td>%s</td><td class="type">`, r.Status)
		if r.Type != nil {
			writeDocsType(w, *r.Type)
		}
		w.F(`</td><td>%s</td></tr>`, r.Description)
	}
	w.Raw(`
</table>
</section>
`)
}

func writeDocsSchema(w *htmlw.Writer, s docsSchema) {
	w.F(`
<section class="op" id="schema-%s">
<h3>%s</h3>`, s.Name, s.Name)
	if s.Description != "" {
		w.F("<p>%s</p>", s.Description)
	}
	if len(s.Enum) > 0 {
		w.Raw("<p>One of: ")
		for i, e := range s.Enum {
			if i > 0 {
				w.Raw(", ")
			}
			w.F("<code>%s</code>", e)
		}
		w.Raw("</p>")
	}
	if len(s.Props) > 0 {
		w.Raw(`
<table><tr><th>Member</th><th>Type</th><th>Description</th></tr>`)
		for _, p := range s.Props {
			w.F(`
<tr><td><code>%s</code>%s</td><td class="type">`, p.Name, requiredMark(p.Required))
			writeDocsType(w, p.Type)
			w.F(`</td><td>%s</td></tr>`, p.Description)
		}
		w.Raw("\n</table>")
	}
	w.Raw("\n</section>\n")
}

// writeDocsType is a type's name, linked to its schema when it has one.
func writeDocsType(w *htmlw.Writer, t docsType) {
	if t.Link != "" {
		w.F(`<a href="%s">%s</a>`, htmlw.SafeURL(t.Link), t.Text)
		return
	}
	w.Text(t.Text)
}

// requiredMark flags a required parameter or member.
func requiredMark(on bool) htmlw.Markup {
	if on {
		return ` <span class="req">required</span>`
	}
	return ""
}
