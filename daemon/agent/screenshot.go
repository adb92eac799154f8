package agent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
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
	path := filepath.Join(s.cfg.DataDir, "blobs", filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return store.Screenshot{}, err
	}
	if err := os.WriteFile(path, up.Data, 0o600); err != nil {
		return store.Screenshot{}, err
	}
	return s.store.InsertScreenshot(ctx, store.Screenshot{BotID: b.ID, Key: key, Type: up.Type, State: up.State, Trigger: up.Trigger, Size: int64(len(up.Data)), CapturedAt: now})
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
