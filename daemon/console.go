package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/store"
)

// openBlob opens a stored object (a screenshot) for the web console; a
// missing object is an error matching fs.ErrNotExist, as the console
// expects.
func (s *Server) openBlob(ctx context.Context, key string) (io.ReadCloser, error) {
	rc, _, err := s.blobs.Get(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, fmt.Errorf("%w: %w", fs.ErrNotExist, err)
	}
	return rc, err
}

// recordingURL signs the link to a bot's recording on its console page.
func (s *Server) recordingURL(ctx context.Context, b store.Bot) (string, error) {
	u, err := s.archive.RecordingURL(ctx, b)
	return u.URL, err
}
