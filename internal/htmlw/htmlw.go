// Package htmlw writes HTML from Go code with every value escaped.
//
// The daemon's pages are written by Go functions rather than templates:
// a template engine looks methods up by name at run time, which makes
// the linker keep every exported method of every type in the binary (the
// whole S3, ECS and Kubernetes client APIs), about a third of its size.
// A page function reads like the markup it writes; what keeps it safe is
// that markup only ever comes from constant strings in the code, and
// every value is escaped on its way in.
package htmlw

import (
	"bytes"
	"fmt"
	"net/url"
	"reflect"
	"strings"
)

// Markup is HTML that needs no escaping: a fragment the code wrote.
// Converting outside data to Markup is the one way to break a page.
type Markup string

// Writer collects a page.
type Writer struct{ bytes.Buffer }

// F writes format, constant markup, with args escaped for text or a
// quoted attribute value: strings, and anything printed as one, are
// HTML-escaped; numbers and booleans are printed as they are, so %d and
// %.1f work; Markup is kept as it is.
func (w *Writer) F(format string, args ...any) {
	for i, a := range args {
		args[i] = escapeArg(a)
	}
	fmt.Fprintf(&w.Buffer, format, args...)
}

// Raw writes constant markup.
func (w *Writer) Raw(s Markup) { w.WriteString(string(s)) }

// Text writes s escaped.
func (w *Writer) Text(s string) { w.WriteString(escape(s)) }

// escaper is html.EscapeString's, and NUL, which HTML does not allow in
// text or attributes, as U+FFFD (as html/template wrote it).
var escaper = strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "\x00", "\uFFFD")

func escape(s string) string { return escaper.Replace(s) }

func escapeArg(a any) any {
	switch v := a.(type) {
	case Markup:
		return string(v)
	case string:
		return escape(v)
	case nil:
		return ""
	}
	switch reflect.ValueOf(a).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return a
	}
	return escape(fmt.Sprint(a))
}

// SafeURL is u for an href or src when it is a relative reference or an
// http, https or mailto URL, and "#" otherwise, so a stored
// "javascript:" URL never runs. The result still needs escaping as an
// attribute value, which F does.
func SafeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return "#"
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https", "mailto":
		return u
	}
	return "#"
}
