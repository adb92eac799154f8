package cli

import (
	"net/http"
	"os"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/me", func(w http.ResponseWriter, r *http.Request) {
		assertEqual(t, "auth", r.Header.Get("Authorization"), "Bearer mbk_good")
		reply(http.StatusOK, api.User{ID: 1, Email: "ana@example.com", Role: "admin"})(w, r)
	})
	assertEqual(t, "exit", b.run(t, "login", "--server", b.daemon.srv.URL, "--api-key", "mbk_good"), ExitOK)
	cfg, err := api.ReadConfigFile(b.configPath)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "file", cfg, api.FileConfig{Address: b.daemon.srv.URL, APIKey: "mbk_good"})
	st, err := os.Stat(b.configPath)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "mode", st.Mode().Perm(), os.FileMode(0o600))
	assertEqual(t, "stderr", b.stderr.String(), "logged in to "+b.daemon.srv.URL+" as ana@example.com (admin); saved to "+b.configPath+"\n")
}

func TestLogin_KeyOnStdin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.stdin.WriteString("mbk_piped\n")
	b.daemon.handle("GET /v1/me", func(w http.ResponseWriter, r *http.Request) {
		assertEqual(t, "auth", r.Header.Get("Authorization"), "Bearer mbk_piped")
		reply(http.StatusOK, api.User{ID: 1, Email: "a@b", Role: "member"})(w, r)
	})
	assertEqual(t, "exit", b.run(t, "login", "--server", b.daemon.srv.URL), ExitOK)
}

func TestLogin_BadKeyWritesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.daemon.handle("GET /v1/me", problemReply(http.StatusUnauthorized, api.CodeUnauthorized, "invalid API key"))
	assertEqual(t, "exit", b.run(t, "login", "--server", b.daemon.srv.URL, "--api-key", "mbk_bad"), ExitAuth)
	if _, err := os.Stat(b.configPath); err == nil {
		t.Error("a rejected key was saved")
	}
}

func TestLogin_NoKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.f.IO.SetStdinTTY(true)
	assertEqual(t, "exit", b.run(t, "login", "--server", "http://x"), ExitUsage)
}
