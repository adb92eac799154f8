package webhook

import (
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckWebhookAddr(t *testing.T) {
	t.Parallel()
	refused := map[string]string{
		"127.0.0.1":                       "loopback",
		"127.8.9.10":                      "loopback",
		"::1":                             "loopback",
		"::ffff:127.0.0.1":                "loopback",
		"10.1.2.3":                        "private",
		"172.16.0.1":                      "private",
		"172.31.255.255":                  "private",
		"192.168.1.1":                     "private",
		"::ffff:10.0.0.1":                 "private",
		"fc00::1":                         "private",
		"fd12:3456::1":                    "private",
		"169.254.169.254":                 "link-local",
		"::ffff:169.254.169.254":          "link-local",
		"fe80::1":                         "link-local",
		"fe80::1%eth0":                    "link-local",
		"224.0.0.1":                       "multicast",
		"239.255.255.250":                 "multicast",
		"ff02::1":                         "multicast",
		"ff05::2":                         "multicast",
		"0.0.0.0":                         "unspecified",
		"::":                              "unspecified",
		"0.1.2.3":                         "this network",
		"100.64.0.1":                      "shared address space",
		"198.18.0.1":                      "benchmarking",
		"255.255.255.255":                 "reserved",
		"fec0::1":                         "site-local",
		"64:ff9b::7f00:1":                 "loopback",
		"64:ff9b::a9fe:a9fe":              "link-local",
		"2002:c0a8:0101::1":               "private",
		"::ffff:192.168.0.1":              "private",
		"0000:0000:0000:0000::ffff:a00:1": "private",
	}
	for addr, why := range refused {
		err := checkWebhookAddr(netip.MustParseAddr(addr))
		var re *addrRefusedError
		if !errors.As(err, &re) || re.why != why {
			t.Errorf("%s: %v, want refused as %s", addr, err, why)
		}
	}
	for _, addr := range []string{"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"} {
		if err := checkWebhookAddr(netip.MustParseAddr(addr)); err != nil {
			t.Errorf("%s refused: %v", addr, err)
		}
	}
}

// TestWebhookClientRefusesOnDial checks the refusal happens on the
// connection dialled: a name resolving to loopback is refused, with the
// error the deliverer treats as permanent.
func TestWebhookClientRefusesOnDial(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, url := range []string{srv.URL, "http://localhost:" + port} {
		_, err := newClient(false).Post(url, "application/json", strings.NewReader("{}"))
		var re *addrRefusedError
		if !errors.As(err, &re) {
			t.Errorf("%s: %v, want a refused address", url, err)
		}
	}
	resp, err := newClient(true).Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatalf("allowed private address: %v", err)
	}
	_ = resp.Body.Close()
	if n := hits.Load(); n != 1 {
		t.Fatalf("receiver got %d requests, want 1", n)
	}
}

func TestWebhookClientNoRedirects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/latest/meta-data", http.StatusFound))
	defer srv.Close()
	resp, err := newClient(true).Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d: the redirect was followed", resp.StatusCode)
	}
}

func TestWebhookNextAttempt(t *testing.T) {
	t.Parallel()
	w := &Deliverer{backoff: DefaultBackoff, jitter: func(d time.Duration) time.Duration { return d }}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	var total time.Duration
	for n := 1; n <= len(DefaultBackoff); n++ {
		got := w.nextAttempt(n, false, now)
		if got == nil || got.Sub(now) != DefaultBackoff[n-1] {
			t.Fatalf("after attempt %d: %v, want %v later", n, got, DefaultBackoff[n-1])
		}
		if n > 1 && DefaultBackoff[n-1] <= DefaultBackoff[n-2] {
			t.Errorf("wait %d (%v) does not grow", n, DefaultBackoff[n-1])
		}
		total += DefaultBackoff[n-1]
	}
	if total < 24*time.Hour {
		t.Errorf("retries span %v, want at least a day", total)
	}
	if w.nextAttempt(len(DefaultBackoff)+1, false, now) != nil {
		t.Error("an attempt past the schedule was scheduled")
	}
	if w.nextAttempt(1, true, now) != nil {
		t.Error("a permanent failure was retried")
	}
}

func TestWebhookJitter(t *testing.T) {
	t.Parallel()
	seen := map[time.Duration]bool{}
	for range 200 {
		d := jitter(time.Hour)
		if d < 48*time.Minute || d > 72*time.Minute {
			t.Fatalf("jitter(1h) = %v, want within 20%%", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Fatalf("jitter gave %d distinct waits in 200, want them spread", len(seen))
	}
	if jitter(0) != 0 {
		t.Fatal("jitter(0) is not 0")
	}
}

func TestWebhookSecretFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", SecretFile)
	first, created, err := readOrCreateSecret(path)
	if err != nil || !created || !strings.HasPrefix(string(first), "whsec_") {
		t.Fatalf("created %q, %v, %v", first, created, err)
	}
	if key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(string(first), "whsec_")); err != nil || len(key) != 32 {
		t.Fatalf("secret %q is not whsec_ and the base64 of 32 bytes (%v)", first, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v", fi, err)
	}
	again, created, err := readOrCreateSecret(path)
	if err != nil || created || string(again) != string(first) {
		t.Fatalf("second start read %q (created %v, %v), want the first secret", again, created, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("data dir holds %d files, want only the secret", len(entries))
	}
}
