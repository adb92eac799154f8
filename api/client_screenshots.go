package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// ErrNoDownloadURL says a screenshot carries no URL to download it from:
// the daemon lists screenshots but does not serve them. There is nothing to
// retry; the image stays where the daemon stored it.
var ErrNoDownloadURL = errors.New("the daemon gives no download URL for this screenshot")

// DownloadScreenshot copies the image of s to w and returns its size. The
// URL may be relative to the daemon or absolute. Only a URL on the daemon
// itself gets the API key: any other host, such as an object store's
// signed URL, carries its own authorisation, and the key must never leak to
// a third party.
func (b *BotsClient) DownloadScreenshot(ctx context.Context, s Screenshot, w io.Writer) (int64, error) {
	if s.URL == "" {
		return 0, fmt.Errorf("screenshot %d: %w", s.ID, ErrNoDownloadURL)
	}
	ref, err := url.Parse(s.URL)
	if err != nil {
		return 0, fmt.Errorf("screenshot %d: invalid url %q: %w", s.ID, s.URL, err)
	}
	u := b.c.base.ResolveReference(ref)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", b.c.agent)
	if b.c.key != "" && u.Scheme == b.c.base.Scheme && u.Host == b.c.base.Host {
		req.Header.Set("Authorization", "Bearer "+b.c.key)
	}
	resp, err := b.c.http.Do(req)
	if err != nil {
		return 0, b.c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, decodeProblem(resp)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("screenshot %d: download: %w", s.ID, err)
	}
	return n, nil
}
