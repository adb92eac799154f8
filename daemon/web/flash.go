package web

import (
	"net/http"
	"net/url"
	"strings"
)

// flash is a message a redirect leaves for the page it leads to: what an
// action did, or why it failed. Where names the part of the page it
// belongs to, so an error shows beside what caused it.
type flash struct {
	Kind  string // "ok" or "error"
	Where string // "" (the page), "actions", "chat", "bulk", ...
	Text  string
}

// At returns the flash when it belongs to where, for a page to show it
// in place.
func (f flash) At(where string) flash {
	if f.Where != where {
		return flash{}
	}
	return f
}

func okFlash(where, format string, args ...any) flash {
	return flash{Kind: "ok", Where: where, Text: sprintf(format, args...)}
}

func errFlash(where string, err error) flash {
	return flash{Kind: "error", Where: where, Text: describe(err)}
}

// flashCookie carries a flash across one redirect. It holds no secret:
// the next page reads it once and clears it, and pages escape it.
const flashCookie = "meeboter_flash"

func setFlash(w http.ResponseWriter, secure bool, f flash) {
	text := f.Text
	if len(text) > 1500 {
		text = text[:1500] + "…"
	}
	val := url.Values{"k": {f.Kind}, "w": {f.Where}, "t": {text}}.Encode()
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: val, Path: "/", MaxAge: 60, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// takeFlash reads the flash left for this page and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return flash{}
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	q, err := url.ParseQuery(ck.Value)
	if err != nil || (q.Get("k") != "ok" && q.Get("k") != "error") {
		return flash{}
	}
	return flash{Kind: q.Get("k"), Where: q.Get("w"), Text: strings.TrimSpace(q.Get("t"))}
}
