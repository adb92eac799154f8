package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/daemon/session"
)

// TestCookieSecure: the session cookie is Secure when the request came
// over TLS, or when the public URL is https (TLS ends at a proxy that
// forwards plain HTTP), and only then.
func TestCookieSecure(t *testing.T) {
	t.Parallel()
	sessions := session.New(session.Config{}, nil, time.Now, nil)
	tests := []struct {
		name, publicURL string
		tls             bool
		secure          bool
	}{
		{"PlainLocal", "http://127.0.0.1:3000", false, false},
		{"HTTPSBehindProxy", "https://bots.example.com", false, true},
		{"DirectTLS", "http://127.0.0.1:3000", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New(Config{PublicURL: tt.publicURL}, slog.New(slog.DiscardHandler), time.Now, Services{Session: sessions})
			target := "http://127.0.0.1:3000/signin"
			if tt.tls {
				target = "https://127.0.0.1:3000/signin" // httptest sets r.TLS
			}
			r := httptest.NewRequest(http.MethodPost, target, nil)
			w := httptest.NewRecorder()
			c.setSession(w, r, "mbc_x")
			set := w.Header().Get("Set-Cookie")
			if got := strings.Contains(set, "; Secure"); got != tt.secure {
				t.Fatalf("Set-Cookie %q: Secure %v, want %v", set, got, tt.secure)
			}
			for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
				if !strings.Contains(set, attr) {
					t.Errorf("Set-Cookie %q lacks %s", set, attr)
				}
			}
		})
	}
}

// TestOriginFromPublicURL: behind a proxy the browser's Origin is the
// public host, which may differ from the Host the daemon sees.
func TestOriginFromPublicURL(t *testing.T) {
	t.Parallel()
	c := New(Config{PublicURL: "https://bots.example.com"}, slog.New(slog.DiscardHandler), time.Now, Services{})
	for origin, want := range map[string]bool{
		"https://bots.example.com": true, "http://10.0.0.5:3000": true, "https://evil.example": false, "null": false, "": false,
	} {
		r := httptest.NewRequest(http.MethodPost, "http://10.0.0.5:3000/keys", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		if got := c.fromHere(r); got != want {
			t.Errorf("Origin %q: %v, want %v", origin, got, want)
		}
	}
}
