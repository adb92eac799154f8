package web

import (
	"errors"
	"io"
	"io/fs"

	"github.com/meeboter/meeboter/daemon/domain"
)

// serveBlob copies a stored object to the response. Config.OpenBlob
// reports a missing object with an error matching fs.ErrNotExist.
func (c *Console) serveBlob(v *visit, key, contentType string) {
	rc, err := c.cfg.OpenBlob(v.r.Context(), key)
	if errors.Is(err, fs.ErrNotExist) {
		err = domain.NotFound("image")
	}
	if err != nil {
		c.fail(v, err)
		return
	}
	defer rc.Close()
	h := v.w.Header()
	h.Set("Content-Type", contentType)
	// The image never changes under its key, but it is one person's:
	// browsers may keep it, shared caches may not.
	h.Set("Cache-Control", "private, max-age=86400")
	if _, err := io.Copy(v.w, rc); err != nil {
		c.log.Debug("send blob", "key", key, "err", err)
	}
}
