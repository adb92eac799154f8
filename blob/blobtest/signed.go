package blobtest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// media is a body long enough for range requests to mean something.
var media = []byte(strings.Repeat("0123456789abcdef", 64))

func testSignedURL(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "bots/3/recordings/r.webm", media, "video/webm")
	u, err := s.SignedURL(t.Context(), "bots/3/recordings/r.webm", time.Hour, blob.SignOptions{})
	if err != nil {
		t.Fatalf("SignedURL: %v", err)
	}
	resp, body := su.fetch(t, u, "")
	if resp.StatusCode != http.StatusOK || string(body) != string(media) {
		t.Fatalf("GET signed URL: %d, %d bytes; want 200 and the object", resp.StatusCode, len(body))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "video/webm" {
		t.Errorf("Content-Type = %q, want video/webm", ct)
	}
	if resp.ContentLength != int64(len(media)) {
		t.Errorf("Content-Length = %d, want %d", resp.ContentLength, len(media))
	}
	if cd := resp.Header.Get("Content-Disposition"); strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition = %q without a file name asked for", cd)
	}
}

func testSignedURLFilename(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "bots/3/recordings/r.wav", media, "audio/wav")
	u, err := s.SignedURL(t.Context(), "bots/3/recordings/r.wav", time.Hour, blob.SignOptions{Filename: "bot 3 recording.wav"})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := su.fetch(t, u, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "bot 3 recording.wav") {
		t.Errorf("Content-Disposition = %q, want an attachment named bot 3 recording.wav", cd)
	}
	// The file name is part of what is signed: changing it must fail.
	changed := replacePresent(t, u, []string{"filename", "response-content-disposition"}, "attachment; filename=evil.html")
	if resp, _ := su.fetch(t, changed, ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("changed file name: status %d, want 403", resp.StatusCode)
	}
}

func testSignedURLRange(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "r", media, "video/webm")
	u, err := s.SignedURL(t.Context(), "r", time.Hour, blob.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := su.fetch(t, u, "bytes=16-31")
	if resp.StatusCode != http.StatusPartialContent || string(body) != string(media[16:32]) {
		t.Errorf("range GET: %d %q, want 206 %q", resp.StatusCode, body, media[16:32])
	}
	if cr := resp.Header.Get("Content-Range"); cr != "bytes 16-31/1024" {
		t.Errorf("Content-Range = %q", cr)
	}
}

func testSignedURLRefused(t *testing.T, su suite) {
	var c clock
	s := su.newStore(t, c.Now)
	Put(t, s, "k/secret", media, "text/plain")
	Put(t, s, "k/other", []byte("other"), "text/plain")
	good, err := s.SignedURL(t.Context(), "k/secret", time.Hour, blob.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// An URL signed two hours ago for one hour expired an hour ago.
	c.Set(-2 * time.Hour)
	expired, err := s.SignedURL(t.Context(), "k/secret", time.Hour, blob.SignOptions{})
	c.Set(0)
	if err != nil {
		t.Fatal(err)
	}
	other, err := url.Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	other.Path = strings.Replace(other.Path, "k/secret", "k/other", 1)
	cases := map[string]string{
		"expired":        expired,
		"tampered":       tamper(t, good),
		"other key":      other.String(),
		"no query":       strings.SplitN(good, "?", 2)[0],
		"expiry changed": bumpExpiry(t, good),
	}
	for name, u := range cases {
		resp, body := su.fetch(t, u, "")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s URL: status %d, want 403", name, resp.StatusCode)
		}
		if strings.Contains(string(body), string(media[:32])) {
			t.Errorf("%s URL: the body holds the object", name)
		}
	}
	if resp, _ := su.fetch(t, good, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the good URL stopped working: %d", resp.StatusCode)
	}
}

func testSignedURLMissing(t *testing.T, su suite) {
	s := su.open(t)
	u, err := s.SignedURL(t.Context(), "not/there", time.Hour, blob.SignOptions{})
	if err != nil {
		t.Fatalf("SignedURL of a missing key: %v", err)
	}
	if resp, _ := su.fetch(t, u, ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing object: status %d, want 404", resp.StatusCode)
	}
}

// fetch GETs u with a plain client, as a browser or curl would, with an
// optional Range header.
func (su suite) fetch(t *testing.T, u, rangeHeader string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rangeHeader != "" {
		req.Header.Set("Range", rangeHeader)
	}
	resp, err := su.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp, body
}

// tamper flips one character of the URL's signature, whichever scheme
// names it.
func tamper(t *testing.T, u string) string {
	t.Helper()
	return editPresent(t, u, []string{"sig", "X-Amz-Signature"}, func(sig string) string {
		if sig[0] == 'a' {
			return "b" + sig[1:]
		}
		return "a" + sig[1:]
	})
}

// bumpExpiry lengthens the URL's validity without re-signing it.
func bumpExpiry(t *testing.T, u string) string {
	t.Helper()
	return editPresent(t, u, []string{"expires", "X-Amz-Expires"}, func(v string) string { return v + "0" })
}

// replacePresent sets the first of the named query parameters that the
// URL has to value.
func replacePresent(t *testing.T, u string, names []string, value string) string {
	t.Helper()
	return editPresent(t, u, names, func(string) string { return value })
}

// editPresent rewrites the first of the named query parameters that the
// URL has; the names cover both signing schemes.
func editPresent(t *testing.T, u string, names []string, edit func(string) string) string {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	for _, name := range names {
		if v := q.Get(name); v != "" {
			q.Set(name, edit(v))
			parsed.RawQuery = q.Encode()
			return parsed.String()
		}
	}
	t.Fatalf("none of %q in %s", names, u)
	return ""
}
