package daemon_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/sandbox"
	"github.com/meeboter/meeboter/store"
)

func TestAPIKeyRequired(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		for name, headers := range map[string][]string{
			"no key":        nil,
			"unknown key":   {"Authorization", "Bearer mbk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
			"empty bearer":  {"Authorization", "Bearer "},
			"basic auth":    {"Authorization", "Basic " + d.AdminKey},
			"bad x-api-key": {"x-api-key", "nope"},
		} {
			for _, path := range []string{"/v1/bots", "/v1/me", "/v1/keys", "/v1/bots/1", "/v1/nope", "/v1/bots/1/stream"} {
				r := send(t, d, "", http.MethodGet, path, "", headers...)
				if r.status != http.StatusUnauthorized {
					t.Errorf("%s on %s: status %d", name, path, r.status)
					continue
				}
				wantProblem(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
			}
		}
		wantProblem(t, send(t, d, "", http.MethodPost, "/v1/bots", meetingBody("")), http.StatusUnauthorized, api.CodeUnauthorized)
		send(t, d, "", http.MethodGet, "/v1/me", "", "x-api-key", d.AdminKey).wantStatus(t, http.StatusOK)
		send(t, d, "", http.MethodGet, "/v1/me", "", "Authorization", "bearer "+d.AdminKey).wantStatus(t, http.StatusOK)
	})
}

// startWithTokens runs a daemon whose bots' tokens the test can read.
func startWithTokens(tb testing.TB, open func(testing.TB) store.Store) (*daemontest.Daemon, func(botID int64) string) {
	tb.Helper()
	var mu sync.Mutex
	tokens := map[int64]string{}
	p := daemontest.NewInProc(platforms.Local, 16)
	p.Tune = func(c *sandbox.Config) {
		mu.Lock()
		tokens[c.BotID] = c.Token
		mu.Unlock()
	}
	tb.Cleanup(func() { _ = p.Close() })
	d := daemontest.Start(tb, daemontest.Options{Store: open(tb), Platforms: []platforms.Platform{p},
		Config: daemon.Config{RateLimit: 100000, RateBurst: 100000, Limits: map[string]int{platforms.Local: 16}}})
	return d, func(botID int64) string {
		tb.Helper()
		var tok string
		eventually(tb, "the bot's token", func() bool {
			mu.Lock()
			defer mu.Unlock()
			tok = tokens[botID]
			return tok != ""
		})
		return tok
	}
}

func TestAPIBotTokensAreNotKeys(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d, token := startWithTokens(t, open)
		ctx := t.Context()
		other, otherKey := member(t, d, "other@example.com")
		mine, theirs := callBot(t, d.Admin), callBot(t, other)
		myToken, theirToken := token(mine.ID), token(theirs.ID)

		for _, path := range []string{"/v1/bots", "/v1/me", botURL(mine.ID)} {
			wantProblem(t, send(t, d, myToken, http.MethodGet, path, ""), http.StatusUnauthorized, api.CodeUnauthorized)
		}
		for _, key := range []string{d.AdminKey, otherKey} {
			wantProblem(t, send(t, d, key, http.MethodPost, "/v1/agent/heartbeat", `{}`), http.StatusUnauthorized, api.CodeUnauthorized)
			wantProblem(t, send(t, d, key, http.MethodGet, "/v1/agent/config", ""), http.StatusUnauthorized, api.CodeUnauthorized)
		}
		wantProblem(t, send(t, d, "", http.MethodGet, "/v1/agent/config", ""), http.StatusUnauthorized, api.CodeUnauthorized)

		for _, tc := range []struct {
			token string
			bot   *api.Bot
			other int64
		}{{myToken, mine, theirs.ID}, {theirToken, theirs, mine.ID}} {
			for _, path := range []string{"/v1/agent/config", "/v1/agent/config?botId=" + itoa(tc.other), "/v1/agent/config?id=" + itoa(tc.other)} {
				r := send(t, d, tc.token, http.MethodGet, path, "")
				r.wantStatus(t, http.StatusOK)
				var cfg api.AgentConfig
				r.decode(t, &cfg)
				if cfg.BotID != tc.bot.ID || cfg.UserID == 0 || cfg.Meeting.MeetingURL != meetURL {
					t.Errorf("%s with bot %d's token gave the config of bot %d", path, tc.bot.ID, cfg.BotID)
				}
			}
		}

		ev := `{"events":[{"type":"TOKEN_PROBE","time":"` + time.Now().UTC().Format(time.RFC3339) + `"}]}`
		send(t, d, myToken, http.MethodPost, "/v1/agent/events", ev).wantStatus(t, http.StatusOK)
		wantProblem(t, send(t, d, myToken, http.MethodPost, "/v1/agent/events", `{"botId":`+itoa(theirs.ID)+`,"events":[]}`), http.StatusUnprocessableEntity, api.CodeValidation, "botId")
		probed := func(c *api.Client, id int64) bool {
			page, err := c.Bots().Events(ctx, id, "", 500)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page.Items {
				if e.Type == "TOKEN_PROBE" {
					return true
				}
			}
			return false
		}
		if !probed(d.Admin, mine.ID) || probed(other, theirs.ID) {
			t.Error("an event sent with a bot's token was not recorded on that bot alone")
		}
	})
}
