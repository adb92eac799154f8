package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// webhookTimeout bounds one attempt, connection included: a receiver that
// cannot answer in time is retried later rather than holding a worker. The
// standard suggests 15 to 30 seconds.
const webhookTimeout = 15 * time.Second

// responseKept is how much of a receiver's answer the delivery log keeps.
const responseKept = 1 << 10

// newClient is the HTTP client of webhook deliveries. It never uses
// a proxy (the proxy's address, not the receiver's, would be checked),
// always verifies TLS, and never follows redirects: a redirect could lead to
// an address the dialer would refuse, or to another receiver entirely.
func newClient(allowPrivate bool) *http.Client {
	return &http.Client{
		Timeout: webhookTimeout,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         webhookDialer(allowPrivate).DialContext,
			TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout: webhookTimeout,
			ForceAttemptHTTP2:   true,
			MaxIdleConns:        16,
			IdleConnTimeout:     90 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// target is where a delivery goes and what signs it.
type target struct {
	url string
	// keys are the Standard Webhooks HMAC keys: the secret, and after a
	// rotation the one it replaced, each giving one signature.
	keys [][]byte
	// legacy keys the deprecated X-Meeboter-Signature; nil sends no
	// X-Meeboter-* headers (endpoints never had them).
	legacy []byte
}

// attemptResult is what one POST to a receiver came to.
type attemptResult struct {
	status     int   // the receiver's HTTP status; 0 when none came
	err        error // nil when delivered
	permanent  bool  // retrying cannot succeed
	gone       bool  // 410: the receiver wants no more
	retryAfter time.Duration
	latency    time.Duration
	response   string // the start of the receiver's answer
}

// send POSTs a delivery's payload, signed, to its target.
func (w *Deliverer) send(ctx context.Context, d store.WebhookDelivery, t target) attemptResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(d.Payload))
	if err != nil {
		return attemptResult{err: fmt.Errorf("bad webhook URL: %w", err), permanent: true}
	}
	ts := w.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "meeboter-webhooks")
	req.Header.Set(api.HeaderWebhookID, d.MessageID)
	req.Header.Set(api.HeaderWebhookTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(api.HeaderWebhookSignature, api.SignStandardWebhook(t.keys, d.MessageID, ts, d.Payload))
	if t.legacy != nil {
		setLegacyHeaders(req.Header, d, t.legacy, ts)
	}
	start := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		var refused *addrRefusedError
		return attemptResult{err: err, permanent: errors.As(err, &refused), latency: time.Since(start)}
	}
	return readAnswer(resp, start)
}

// setLegacyHeaders adds the scheme callback receivers verified before
// Standard Webhooks; they go out for one release more.
func setLegacyHeaders(h http.Header, d store.WebhookDelivery, key []byte, ts int64) {
	//lint:ignore SA1019 the deprecated headers are still sent, for one release
	h.Set(api.WebhookDeliveryHeader, strconv.FormatInt(d.ID, 10))
	//lint:ignore SA1019 as above
	h.Set(api.WebhookTimestampHeader, strconv.FormatInt(ts, 10))
	//lint:ignore SA1019 as above
	h.Set(api.WebhookSignatureHeader, api.SignWebhook(key, ts, d.Payload))
}

// readAnswer keeps the start of the receiver's body for the delivery log
// and drains a little more, so the connection can be reused.
func readAnswer(resp *http.Response, start time.Time) attemptResult {
	kept, _ := io.ReadAll(io.LimitReader(resp.Body, responseKept))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	res := attemptResult{status: resp.StatusCode, latency: time.Since(start), response: printable(kept)}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return res
	}
	res.err = fmt.Errorf("receiver answered %s", resp.Status)
	res.gone = resp.StatusCode == http.StatusGone
	res.retryAfter = retryAfter(resp.Header.Get("Retry-After"))
	return res
}

// printable makes a receiver's bytes storable text: valid UTF-8 without
// NULs, which PostgreSQL's text refuses.
func printable(b []byte) string {
	return strings.ReplaceAll(strings.ToValidUTF8(string(b), "\uFFFD"), "\x00", "")
}

// retryAfter reads a Retry-After header in seconds (the date form is
// rare from webhook receivers and ignored), capped at a day.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, 24*time.Hour)
}
