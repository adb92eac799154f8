package archive

import (
	"context"
	"path"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// SignedURL is a URL that downloads one object without an API key, until
// ExpiresAt.
type SignedURL struct {
	URL       string
	ExpiresAt time.Time
}

// ScreenshotURL signs a short-lived download URL of a screenshot.
func (s *Service) ScreenshotURL(ctx context.Context, sc store.Screenshot) (SignedURL, error) {
	name := "bot-" + strconv.FormatInt(sc.BotID, 10) + "-screenshot-" + strconv.FormatInt(sc.ID, 10) + path.Ext(sc.Key)
	return s.sign(ctx, sc.Key, s.cfg.ScreenshotURLTTL, name)
}

// RecordingURL signs a download URL of the recording a bot reported with
// DONE; a bot that reported none is a not-found error.
func (s *Service) RecordingURL(ctx context.Context, b store.Bot) (SignedURL, error) {
	if b.RecordingKey == "" || blob.ValidKey(b.RecordingKey) != nil {
		// A key that is no storage key names nothing this daemon can sign.
		return SignedURL{}, domain.NotFound("recording of bot " + strconv.FormatInt(b.ID, 10))
	}
	name := "bot-" + strconv.FormatInt(b.ID, 10) + "-recording" + path.Ext(b.RecordingKey)
	return s.sign(ctx, b.RecordingKey, s.cfg.RecordingURLTTL, name)
}

func (s *Service) sign(ctx context.Context, key string, ttl time.Duration, filename string) (SignedURL, error) {
	expires := s.d.Now().Add(ttl)
	u, err := s.d.Blobs.SignedURL(ctx, key, ttl, blob.SignOptions{Filename: filename})
	if err != nil {
		return SignedURL{}, err
	}
	return SignedURL{URL: u, ExpiresAt: expires.UTC().Truncate(time.Second)}, nil
}
