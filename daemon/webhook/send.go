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
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// webhookTimeout bounds one attempt, connection included: a receiver that
// cannot answer in time is retried later rather than holding a worker.
const webhookTimeout = 10 * time.Second

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

// attemptResult is what one POST to a receiver came to.
type attemptResult struct {
	status    int   // the receiver's HTTP status; 0 when none came
	err       error // nil when delivered
	permanent bool  // retrying cannot succeed
}

// send POSTs a delivery's payload, signed, to its URL.
func (w *Deliverer) send(ctx context.Context, d store.WebhookDelivery) attemptResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return attemptResult{err: fmt.Errorf("bad callback URL: %w", err), permanent: true}
	}
	ts := w.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "meeboter-webhooks")
	req.Header.Set(api.WebhookDeliveryHeader, strconv.FormatInt(d.ID, 10))
	req.Header.Set(api.WebhookTimestampHeader, strconv.FormatInt(ts, 10))
	req.Header.Set(api.WebhookSignatureHeader, api.SignWebhook(w.cfg.Secret, ts, d.Payload))
	resp, err := w.client.Do(req)
	if err != nil {
		var refused *addrRefusedError
		return attemptResult{err: err, permanent: errors.As(err, &refused)}
	}
	// Drain a little so the connection can be reused; the body means nothing.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return attemptResult{status: resp.StatusCode}
	}
	return attemptResult{status: resp.StatusCode, err: fmt.Errorf("receiver answered %s", resp.Status)}
}
