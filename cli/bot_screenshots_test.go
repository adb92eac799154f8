package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func screenshots(urls ...string) api.List[api.Screenshot] {
	var l api.List[api.Screenshot]
	for i, u := range urls {
		l.Items = append(l.Items, api.Screenshot{ID: int64(i + 1), BotID: 9, Key: "bots/9/screenshots/x.png", Type: "state_change",
			State: "IN_CALL", Size: 183_000, CapturedAt: fixedNow, URL: u})
	}
	return l
}

func TestBotScreenshots_List(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/screenshots", reply(http.StatusOK, screenshots("", "https://s3.example/x.png?sig=1")))
	assertEqual(t, "exit", b.run(t, "bot", "screenshots", "9"), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(),
		"1\t2026-05-01T12:00:00Z\tstate_change\tIN_CALL\t\t183000\t\n"+
			"2\t2026-05-01T12:00:00Z\tstate_change\tIN_CALL\t\t183000\thttps://s3.example/x.png?sig=1\n")
}

// TestBotScreenshots_Download saves each screenshot from its URL: one on
// the daemon (which gets the API key) and one on another host (which must
// not).
func TestBotScreenshots_Download(t *testing.T) {
	t.Parallel()
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("the API key went to the object store")
		}
		_, _ = w.Write([]byte("png-from-store"))
	}))
	t.Cleanup(store.Close)
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/screenshots", reply(http.StatusOK, screenshots("/v1/bots/9/screenshots/1/image", store.URL+"/x.png?sig=1")))
	b.daemon.handle("GET /v1/bots/9/screenshots/1/image", func(w http.ResponseWriter, r *http.Request) {
		assertEqual(t, "auth", r.Header.Get("Authorization"), "Bearer mbk_test_0123456789")
		_, _ = w.Write([]byte("png-from-daemon"))
	})
	dir := filepath.Join(t.TempDir(), "shots")
	assertEqual(t, "exit", b.run(t, "bot", "screenshots", "9", "--download", dir), ExitOK)
	one, two := filepath.Join(dir, "bot-9-screenshot-1.png"), filepath.Join(dir, "bot-9-screenshot-2.png")
	assertEqual(t, "stdout", b.stdout.String(), one+"\n"+two+"\n")
	assertEqual(t, "stderr", b.stderr.String(), "saved screenshot 1 (state_change, 15 B)\nsaved screenshot 2 (state_change, 14 B)\n")
	for file, want := range map[string]string{one: "png-from-daemon", two: "png-from-store"} {
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, file, string(got), want)
		st, _ := os.Stat(file)
		assertEqual(t, "mode of "+file, st.Mode().Perm(), os.FileMode(0o600))
	}
	entries, _ := os.ReadDir(dir)
	assertEqual(t, "files in dir", len(entries), 2)
}

func TestBotScreenshots_NoURL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/screenshots", reply(http.StatusOK, screenshots("")))
	dir := t.TempDir()
	assertEqual(t, "exit", b.run(t, "bot", "screenshots", "9", "--download", dir), ExitError)
	assertEqual(t, "stdout", b.stdout.String(), "")
	if !strings.Contains(b.stderr.String(), "error: screenshot 1: the daemon gives no download URL") {
		t.Errorf("stderr:\n%s", b.stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files behind", len(entries))
	}
}

func TestBotScreenshots_DownloadAndJSON(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assertEqual(t, "exit", b.run(t, "bot", "screenshots", "9", "--download", t.TempDir(), "--json"), ExitUsage)
}

// FuzzScreenshotFile checks that no key the daemon sends can name a file
// outside the download directory, or anything but an image file there.
func FuzzScreenshotFile(f *testing.F) {
	for _, key := range []string{"bots/9/screenshots/x.png", "../../etc/passwd", "a/b.JPG", "x.webp/..", "", "..", "/abs.png", "sneaky.png\x00.sh"} {
		f.Add(key, int64(3))
	}
	f.Fuzz(func(t *testing.T, key string, id int64) {
		dir := filepath.Join("downloads", "shots")
		got := screenshotFile(dir, 9, api.Screenshot{ID: id, Key: key})
		if filepath.Dir(got) != dir {
			t.Fatalf("key %q: file %q is outside %q", key, got, dir)
		}
		name := filepath.Base(got)
		if !strings.HasPrefix(name, "bot-9-screenshot-") || !slices.Contains([]string{".png", ".jpg", ".jpeg", ".webp"}, filepath.Ext(name)) {
			t.Fatalf("key %q: file name %q", key, name)
		}
	})
}
