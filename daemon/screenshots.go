package daemon

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// maxScreenshot bounds an upload: bots send 1920x1080 PNGs, a few hundred
// KB and sometimes above 1 MB.
const maxScreenshot = 20 << 20

var screenshotTypes = map[string]bool{"error": true, "fatal": true, "manual": true, "state_change": true}

// screenshotUpload is one uploaded image with its description.
type screenshotUpload struct {
	Type, State, Trigger string
	Data                 []byte
}

// readScreenshot parses the multipart form both bot protocols use.
func readScreenshot(w http.ResponseWriter, r *http.Request) (screenshotUpload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxScreenshot+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return screenshotUpload{}, err
		}
		return screenshotUpload{}, errBadRequest("send multipart/form-data with a file part")
	}
	up := screenshotUpload{Type: r.FormValue("type"), State: r.FormValue("state"), Trigger: r.FormValue("trigger")}
	v := &validator{}
	v.check(screenshotTypes[up.Type], "type", "must be error, fatal, manual or state_change")
	v.check(up.State != "" && len(up.State) <= 64, "state", "must be 1-64 bytes")
	v.maxLen(up.Trigger, 1024, "trigger")
	f, _, err := r.FormFile("file")
	v.check(err == nil, "file", "is required")
	if err := v.err(); err != nil {
		return up, err
	}
	defer f.Close()
	if up.Data, err = io.ReadAll(io.LimitReader(f, maxScreenshot+1)); err != nil {
		return up, err
	}
	if len(up.Data) > maxScreenshot {
		return up, newProblem(http.StatusRequestEntityTooLarge, api.CodePayloadTooLarge, "a screenshot may be at most %d bytes", maxScreenshot)
	}
	return up, nil
}

// saveScreenshot stores the image under the data dir and records it. The
// bot is known to exist before anything is written.
func (s *Server) saveScreenshot(ctx context.Context, b store.Bot, up screenshotUpload) (store.Screenshot, error) {
	if err := s.liveEnough(b); err != nil {
		return store.Screenshot{}, err
	}
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
