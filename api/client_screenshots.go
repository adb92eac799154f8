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
// URL may be relative to the daemon or absolute; see fetch for who gets
// the API key.
func (b *BotsClient) DownloadScreenshot(ctx context.Context, s Screenshot, w io.Writer) (int64, error) {
	if s.URL == "" {
		return 0, fmt.Errorf("screenshot %d: %w", s.ID, ErrNoDownloadURL)
	}
	resp, err := b.c.fetch(ctx, s.URL)
	if err != nil {
		return 0, fmt.Errorf("screenshot %d: %w", s.ID, err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("screenshot %d: download: %w", s.ID, err)
	}
	return n, nil
}

// OpenRecording starts the download of a recording from its signed URL
// (see Recording) and returns the response, whose ContentLength is the
// size when the server says it; the caller reads and closes its Body. The
// URL points at the object store, which gets no API key.
func (b *BotsClient) OpenRecording(ctx context.Context, r Recording) (*http.Response, error) {
	resp, err := b.c.fetch(ctx, r.URL)
	if err != nil {
		return nil, fmt.Errorf("recording of bot %d: %w", r.BotID, err)
	}
	return resp, nil
}

// fetch GETs a URL, relative to the daemon or absolute, and answers the
// response when it is 200. Only a URL on the daemon itself gets the API
// key: any other host, such as an object store's signed URL, carries its
// own authorisation, and the key must never leak to a third party.
func (c *Client) fetch(ctx context.Context, raw string) (*http.Response, error) {
	ref, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid url %q: %w", raw, err)
	}
	u := c.base.ResolveReference(ref)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.agent)
	if c.key != "" && u.Scheme == c.base.Scheme && u.Host == c.base.Host {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, decodeProblem(resp)
	}
	return resp, nil
}
