package htmlw

import (
	"strings"
	"testing"
)

type named string

type stringer struct{}

func (stringer) String() string { return `<b>"x"</b>` }

func TestF_EscapesValues(t *testing.T) {
	t.Parallel()
	var w Writer
	w.F(`<p title="%s">%s %d %.1f %v %s %s %s</p>`, `a"b'c`, "<script>alert(1)</script>", 42, 2.25, true, named("<i>"), stringer{}, Markup("<br>"))
	want := `<p title="a&#34;b&#39;c">&lt;script&gt;alert(1)&lt;/script&gt; 42 2.2 true &lt;i&gt; &lt;b&gt;&#34;x&#34;&lt;/b&gt; <br></p>`
	if got := w.String(); got != want {
		t.Errorf("F wrote\n%s\nwant\n%s", got, want)
	}
}

func TestTextAndRaw(t *testing.T) {
	t.Parallel()
	var w Writer
	w.Raw("<td>")
	w.Text("&<>\"'\x00")
	w.Raw("</td>")
	if got := w.String(); got != "<td>&amp;&lt;&gt;&#34;&#39;\uFFFD</td>" {
		t.Errorf("got %s", got)
	}
}

func TestSafeURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://meet.google.com/abc-defg-hij": "https://meet.google.com/abc-defg-hij",
		"/bots?cursor=x&limit=2":               "/bots?cursor=x&limit=2",
		"mailto:a@example.com":                 "mailto:a@example.com",
		"javascript:alert(1)":                  "#",
		" JavaScript:alert(1)":                 "#",
		"data:text/html,<script>":              "#",
		"vbscript:x":                           "#",
		"http://%zz":                           "#",
	} {
		if got := SafeURL(in); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzF checks that no string value, however odd, opens a tag or leaves
// a quoted attribute.
func FuzzF(f *testing.F) {
	for _, s := range []string{"", `"><script>`, "a'b", "&amp;", "\x00<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var w Writer
		w.F(`<a title="%s">%s</a>`, s, s)
		out := w.String()
		inner := strings.TrimSuffix(strings.TrimPrefix(out, `<a title="`), `</a>`)
		if strings.ContainsAny(inner[:strings.Index(inner, `">`)], `<>"`) || strings.ContainsAny(inner[strings.Index(inner, `">`)+2:], `<>"`) {
			t.Fatalf("value escaped its place: %q", out)
		}
	})
}
