package agent

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// MaxScreenshot bounds an upload: bots send 1920x1080 PNGs, a few hundred
// KB and sometimes above 1 MB.
const MaxScreenshot = 20 << 20

var screenshotTypes = map[string]bool{"error": true, "fatal": true, "manual": true, "state_change": true}

// ScreenshotTypes lists why a bot may take a screenshot, sorted.
func ScreenshotTypes() []string { return slices.Sorted(maps.Keys(screenshotTypes)) }

// Screenshot is one uploaded image with its description.
type Screenshot struct {
	Type, State, Trigger string
	Data                 []byte
}

func validateScreenshot(up Screenshot) error {
	v := &domain.Validator{}
	v.Check(screenshotTypes[up.Type], "type", "must be error, fatal, manual or state_change")
	v.Check(up.State != "" && len(up.State) <= 64, "state", "must be 1-64 bytes")
	v.MaxLen(up.Trigger, 1024, "trigger")
	if err := v.Err(); err != nil {
		return err
	}
	if len(up.Data) > MaxScreenshot {
		return &domain.TooLargeError{What: "a screenshot", Limit: MaxScreenshot}
	}
	return nil
}

// SaveScreenshot stores the image and records it. The bot is known to
// exist before anything is written.
func (s *Service) SaveScreenshot(ctx context.Context, b store.BotState, up Screenshot) (store.Screenshot, error) {
	if err := validateScreenshot(up); err != nil {
		return store.Screenshot{}, err
	}
	if err := s.liveEnough(b); err != nil {
		return store.Screenshot{}, err
	}
	up.State, up.Trigger = domain.Clean(up.State), domain.Clean(up.Trigger)
	now := s.now()
	key := fmt.Sprintf("bots/%d/screenshots/%s-%s-%d.png", b.ID, randomID(), up.Type, now.UnixMilli())
	// The image is stored before its record: a record always leads to an
	// image, and an image whose record failed is one retention removes.
	if err := s.cfg.Blobs.Put(ctx, key, bytes.NewReader(up.Data), int64(len(up.Data)), imageType(up.Data)); err != nil {
		return store.Screenshot{}, fmt.Errorf("store screenshot: %w", err)
	}
	return s.store.InsertScreenshot(ctx, store.Screenshot{BotID: b.ID, Key: key, Type: up.Type, State: up.State, Trigger: up.Trigger, Size: int64(len(up.Data)), CapturedAt: now})
}

// imageType is the stored content type: what the bytes are when they are
// an image, else the generic type, so a signed URL never serves a bot's
// upload as something a browser would run.
func imageType(data []byte) string {
	for _, m := range imageMagic {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return m.contentType
		}
	}
	return "application/octet-stream"
}

// imageMagic are the first bytes of the raster formats browsers show.
var imageMagic = []struct{ prefix, contentType string }{
	{"\x89PNG\r\n\x1a\n", "image/png"},
	{"\xff\xd8\xff", "image/jpeg"},
	{"GIF8", "image/gif"},
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
