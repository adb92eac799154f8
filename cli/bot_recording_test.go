package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func recordingAt(u string) api.Recording {
	return api.Recording{BotID: 9, Key: "bots/9/recordings/a-google-meet.wav", URL: u, ExpiresAt: fixedNow.Add(time.Hour)}
}

func TestBotRecording_URL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/recording", reply(http.StatusOK, recordingAt("https://s3.example/r.wav?sig=1")))
	assertEqual(t, "exit", b.run(t, "bot", "recording", "9"), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), "https://s3.example/r.wav?sig=1\n")
}

func TestBotRecording_None(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/bots/9/recording", reply(http.StatusNotFound, api.Problem{Status: 404, Code: api.CodeNotFound, Detail: "recording of bot 9 not found"}))
	assertEqual(t, "exit", b.run(t, "bot", "recording", "9"), ExitNotFound)
	assertEqual(t, "stdout", b.stdout.String(), "")
}

// TestBotRecording_Download saves the file from the object store, which
// never sees the API key, drawing the bar on a terminal.
func TestBotRecording_Download(t *testing.T) {
	t.Parallel()
	media := strings.Repeat("RIFF0123", 4096)
	obj := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Error("the API key went to the object store")
		}
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(media))
	}))
	t.Cleanup(obj.Close)
	b := setup(t)
	b.f.IO.SetStderrTTY(true)
	b.daemon.handle("GET /v1/bots/9/recording", reply(http.StatusOK, recordingAt(obj.URL+"/r.wav?sig=1")))
	file := filepath.Join(t.TempDir(), "call.wav")
	assertEqual(t, "exit", b.run(t, "bot", "recording", "9", "--download", file), ExitOK)
	assertEqual(t, "stdout", b.stdout.String(), file+"\n")
	got, err := os.ReadFile(file)
	if err != nil || string(got) != media {
		t.Fatalf("saved %d bytes, %v", len(got), err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	if !strings.Contains(b.stderr.String(), "[##############################] 100%  32 KB of 32 KB") {
		t.Errorf("no finished progress bar in stderr:\n%q", b.stderr)
	}
}
