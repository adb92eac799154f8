package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
)

// start runs a daemon whose bots deploy at once and stay DEPLOYING: the
// transport tests need bots to exist, not to live.
func start(tb testing.TB) *daemontest.Daemon {
	tb.Helper()
	return daemontest.Start(tb, daemontest.Options{Platforms: []platforms.Platform{daemontest.NewInstant(platforms.Local, 50)}})
}

// browser is a plain HTTP client that keeps cookies and does not follow
// redirects, so tests see each answer the console gives.
type browser struct {
	tb   testing.TB
	base string
	hc   *http.Client
}

func newBrowser(tb testing.TB, base string) *browser {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{tb: tb, base: base, hc: hc}
}

// page is one answer: status, headers and body.
type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) page {
	b.tb.Helper()
	resp, err := b.hc.Do(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) page {
	b.tb.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// post sends a form as a browser on the console's page would: with the
// console's Origin, unless headers say otherwise.
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.tb.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token reads the CSRF token of a page's forms.
func token(tb testing.TB, p page) string {
	tb.Helper()
	m := csrfInput.FindStringSubmatch(p.body)
	if m == nil {
		tb.Fatalf("no CSRF token on the page (status %d):\n%s", p.status, p.body)
	}
	return m[1]
}

// signIn signs the browser in with an API key through the sign-in form.
func (b *browser) signIn(key string) {
	b.tb.Helper()
	form := b.get("/signin")
	p := b.post("/signin", url.Values{"csrf": {token(b.tb, form)}, "key": {key}, "next": {"/bots"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/bots" {
		b.tb.Fatalf("sign in: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
}

// csrf reads the token of a signed-in page.
func (b *browser) csrf() string {
	b.tb.Helper()
	return token(b.tb, b.get("/bots"))
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func mustContain(tb testing.TB, p page, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			tb.Fatalf("page (status %d) lacks %q:\n%s", p.status, w, p.body)
		}
	}
}

func wantStatus(tb testing.TB, what string, p page, status int) {
	tb.Helper()
	if p.status != status {
		tb.Fatalf("%s: status %d, want %d\n%s", what, p.status, status, p.body)
	}
}

// newBot creates a bot through the REST API.
func newBot(tb testing.TB, c *api.Client, meta map[string]string) *api.Bot {
	tb.Helper()
	b, err := c.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: "https://meet.google.com/abc-defg-hij"}, Metadata: meta})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// memberKey makes a member and returns their client and key.
func memberKey(tb testing.TB, d *daemontest.Daemon, email string) (*api.Client, string) {
	tb.Helper()
	unlimited := 1000
	cu, err := d.Admin.Users().Create(context.Background(), api.CreateUserRequest{Email: email, CustomDailyBotLimit: &unlimited})
	if err != nil {
		tb.Fatal(err)
	}
	return d.Client(tb, cu.Key.Secret), cu.Key.Secret
}

var secretCode = regexp.MustCompile(`<code id="secret-value">([^<]+)</code>`)

// secretOf reads the secret a page shows once.
func secretOf(tb testing.TB, p page) string {
	tb.Helper()
	m := secretCode.FindStringSubmatch(p.body)
	if m == nil {
		tb.Fatalf("no secret on the page:\n%s", p.body)
	}
	return m[1]
}
