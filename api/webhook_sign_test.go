package api_test

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// signed builds the Standard Webhooks headers of body, signed with keys.
func signed(keys [][]byte, id string, at time.Time, body []byte) http.Header {
	h := http.Header{}
	h.Set(api.HeaderWebhookID, id)
	h.Set(api.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(api.HeaderWebhookSignature, api.SignStandardWebhook(keys, id, at.Unix(), body))
	return h
}

// TestStandardWebhooksLibraryVerifies checks our signatures with the
// published Go library of the standard, for a new secret, a secret of the
// old hex form (the library decodes it as base64, as WebhookKey does), and
// after a rotation, when two signatures travel in one header.
func TestStandardWebhooksLibraryVerifies(t *testing.T) {
	t.Parallel()
	body := []byte(`{"type":"bot.ended","botId":1}`)
	legacy := "whsec_" + hex.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	fresh := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	for name, secret := range map[string]string{"new form": fresh, "hex form of older releases": legacy} {
		lib, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatalf("%s: library refused the secret: %v", name, err)
		}
		h := signed([][]byte{api.WebhookKey(secret)}, "msg_1", time.Now(), body)
		if err := lib.Verify(body, h); err != nil {
			t.Errorf("%s: library: %v", name, err)
		}
		if err := api.VerifyStandardWebhook(secret, h, body, time.Now()); err != nil {
			t.Errorf("%s: VerifyStandardWebhook: %v", name, err)
		}
	}
	rotated := signed([][]byte{api.WebhookKey(fresh), api.WebhookKey(legacy)}, "msg_2", time.Now(), body)
	for _, secret := range []string{fresh, legacy} {
		lib, _ := standardwebhooks.NewWebhook(secret)
		if err := lib.Verify(body, rotated); err != nil {
			t.Errorf("rotation, holding %s: %v", secret, err)
		}
	}
	raw, _ := standardwebhooks.NewWebhookRaw([]byte("chosen by hand"))
	if err := raw.Verify(body, signed([][]byte{api.WebhookKey("chosen by hand")}, "msg_3", time.Now(), body)); err != nil {
		t.Errorf("a hand-chosen secret in raw-key mode: %v", err)
	}
}

func TestVerifyStandardWebhookRefuses(t *testing.T) {
	t.Parallel()
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{}`)
	now := time.Now()
	good := signed([][]byte{api.WebhookKey(secret)}, "msg_1", now, body)
	cases := map[string]struct {
		secret string
		h      http.Header
		body   []byte
		now    time.Time
		want   error
	}{
		"other secret":  {"whsec_b3RoZXIgc2VjcmV0IG9mIDI0IGJ5dGVzIQ==", good, body, now, api.ErrWebhookSignature},
		"other body":    {secret, good, []byte(`{ }`), now, api.ErrWebhookSignature},
		"replayed late": {secret, good, body, now.Add(6 * time.Minute), api.ErrWebhookTimestamp},
		"from the future": {secret, signed([][]byte{api.WebhookKey(secret)}, "msg_1", now.Add(6*time.Minute), body), body, now,
			api.ErrWebhookTimestamp},
		"no headers": {secret, http.Header{}, body, now, api.ErrWebhookHeaders},
	}
	for name, c := range cases {
		if err := api.VerifyStandardWebhook(c.secret, c.h, c.body, c.now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	id := good.Clone()
	id.Set(api.HeaderWebhookID, "msg_other")
	if err := api.VerifyStandardWebhook(secret, id, body, now); !errors.Is(err, api.ErrWebhookSignature) {
		t.Errorf("the id is signed too: %v", err)
	}
}

func TestWebhookKey(t *testing.T) {
	t.Parallel()
	if got := string(api.WebhookKey("whsec_aGVsbG8=")); got != "hello" {
		t.Errorf("whsec_ base64: key %q", got)
	}
	for _, s := range []string{"plain secret", "whsec_not base64!", "whsec_"} {
		if got := string(api.WebhookKey(s)); got != s {
			t.Errorf("%q: key %q, want the bytes as they are", s, got)
		}
	}
}

// FuzzVerifyStandardWebhook feeds the verifier headers as a receiver gets
// them from anyone: it must never panic, and never accept what the secret
// did not sign.
func FuzzVerifyStandardWebhook(f *testing.F) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	now := time.Unix(1700000000, 0)
	f.Add("msg_1", "1700000000", "v1,abc", []byte(`{}`))
	f.Add("", "x", "v1a,zz v1,", []byte(nil))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(api.HeaderWebhookID, id)
		h.Set(api.HeaderWebhookTimestamp, ts)
		h.Set(api.HeaderWebhookSignature, sig)
		err := api.VerifyStandardWebhook(secret, h, body, now)
		if err != nil {
			return
		}
		unix, _ := strconv.ParseInt(ts, 10, 64)
		want := api.SignStandardWebhook([][]byte{api.WebhookKey(secret)}, h.Get(api.HeaderWebhookID), unix, body)
		found := false
		for _, s := range strings.Fields(h.Get(api.HeaderWebhookSignature)) {
			found = found || s == want
		}
		if !found {
			t.Fatalf("accepted %q for id %q at %q", sig, id, ts)
		}
	})
}
