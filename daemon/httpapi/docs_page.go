package httpapi

import "html/template"

// docsTemplate lays out the reference page: a table of contents, each
// operation with its parameters and bodies, then each schema. Styles are
// inline so the page is one self-contained response.
var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
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
</style>
</head>
<body>
<h1>{{.Title}} <span class="meta">version {{.Version}}</span></h1>
<p>{{.Description}}</p>
<p class="meta">The machine-readable document is <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<nav><ul>
{{- range .Groups}}<li><a href="#tag-{{.Name}}">{{.Name}}</a></li>{{end}}
<li><a href="#schemas">schemas</a></li>
</ul></nav>
{{range .Groups}}
<h2 id="tag-{{.Name}}">{{.Name}}</h2>
{{range .Ops}}
<section class="op" id="{{.ID}}">
<h3><span class="method {{.Method}}">{{.Method}}</span> <span class="path">{{.Path}}</span></h3>
<p>{{.Summary}}</p>
<p class="meta">Authentication: {{.Auth}}</p>
{{- if .Params}}
<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>
{{- range .Params}}
<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.In}}</td><td class="type">{{template "type" .Type}}</td><td>{{.Description}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- with .Body}}
<p><strong>Request body</strong> ({{.ContentType}}): {{template "type" .Type}}{{if .Description}} — {{.Description}}{{end}}</p>
{{- end}}
<table><tr><th>Status</th><th>Body</th><th>Description</th></tr>
{{- range .Responses}}
<tr><td>{{.Status}}</td><td class="type">{{with .Type}}{{template "type" .}}{{end}}</td><td>{{.Description}}</td></tr>
{{- end}}
</table>
</section>
{{end}}
{{end}}
<h2 id="schemas">Schemas</h2>
{{range .Schemas}}
<section class="op" id="schema-{{.Name}}">
<h3>{{.Name}}</h3>
{{- if .Description}}<p>{{.Description}}</p>{{end}}
{{- if .Enum}}<p>One of: {{range $i, $v := .Enum}}{{if $i}}, {{end}}<code>{{$v}}</code>{{end}}</p>{{end}}
{{- if .Props}}
<table><tr><th>Member</th><th>Type</th><th>Description</th></tr>
{{- range .Props}}
<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td class="type">{{template "type" .Type}}</td><td>{{.Description}}</td></tr>
{{- end}}
</table>
{{- end}}
</section>
{{end}}
</body>
</html>
{{define "type"}}{{if .Link}}<a href="{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{end}}
`))
