package dirblob_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/dirblob"
)

// stepClock is a clock the test sets to exact instants.
type stepClock struct{ unix atomic.Int64 }

func (c *stepClock) Now() time.Time { return time.Unix(c.unix.Load(), 0) }

func do(t *testing.T, method, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestHandler_ExpiryBoundary(t *testing.T) {
	t.Parallel()
	var c stepClock
	c.unix.Store(1_900_000_000)
	s, _ := newServed(t, c.Now)
	blobtest.Put(t, s, "k", []byte("body"), "text/plain")
	u, err := s.SignedURL(t.Context(), "k", 10*time.Second, blob.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u, "expires=1900000010") {
		t.Fatalf("URL %s does not expire at sign time + ttl", u)
	}
	c.unix.Store(1_900_000_009)
	resp, _ := do(t, http.MethodGet, u)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a second before expiry: %d", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "private, max-age=1" {
		t.Errorf("Cache-Control = %q, want the remaining validity", cc)
	}
	c.unix.Store(1_900_000_010)
	if resp, body := do(t, http.MethodGet, u); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "expired") {
		t.Errorf("at expiry: %d %q, want 403 expired", resp.StatusCode, body)
	}
}

func TestHandler_Responses(t *testing.T) {
	t.Parallel()
	s, _ := newServed(t, time.Now)
	blobtest.Put(t, s, "a b/page.html", []byte("<script>alert(1)</script>"), "text/html")
	u, err := s.SignedURL(t.Context(), "a b/page.html", time.Hour, blob.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u, "/v1/blobs/a%20b/page.html?") {
		t.Errorf("URL %s does not escape the key's segments", u)
	}
	resp, _ := do(t, http.MethodGet, u)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("Content-Security-Policy = %q: a bot's HTML could run on the daemon's origin", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no X-Content-Type-Options: nosniff")
	}
	resp, body := do(t, http.MethodHead, u)
	if resp.StatusCode != http.StatusOK || body != "" || resp.Header.Get("Content-Length") != strconv.Itoa(len("<script>alert(1)</script>")) {
		t.Errorf("HEAD: %d, body %q, length %q", resp.StatusCode, body, resp.Header.Get("Content-Length"))
	}
	if resp, _ := do(t, http.MethodPost, u); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	base := strings.SplitN(u, "/v1/blobs/", 2)[0]
	if resp, _ := do(t, http.MethodGet, base+"/v1/blobs/a%2F%2Fb?expires=1&sig=x"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("invalid key: %d, want 404", resp.StatusCode)
	}
}

func TestHandler_OtherKeyRefused(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	blobtest.Put(t, s, "k", []byte("body"), "")
	// A second store on the same files with another secret.
	other, err := dirblob.New(dirblob.Config{Dir: dir, BaseURL: "http://127.0.0.1:1", SigningKey: []byte("another secret of enough length")})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	forged, err := other.SignedURL(t.Context(), "k", time.Hour, blob.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := s.SignedURL(t.Context(), "k", time.Hour, blob.SignOptions{})
	base := strings.SplitN(good, "/v1/blobs/", 2)[0]
	forged = base + "/v1/blobs/" + strings.SplitN(forged, "/v1/blobs/", 2)[1]
	if resp, _ := do(t, http.MethodGet, forged); resp.StatusCode != http.StatusForbidden {
		t.Errorf("URL signed with another secret: %d, want 403", resp.StatusCode)
	}
}
