package dirblob

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// Handler serves signed URLs. The daemon mounts it at PathPrefix without
// its own authentication: the signature is the authorization.
func (s *Store) Handler() http.Handler { return http.HandlerFunc(s.serve) }

func (s *Store) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	key, ok := strings.CutPrefix(r.URL.Path, PathPrefix)
	if !ok || blob.ValidKey(key) != nil {
		http.NotFound(w, r)
		return
	}
	// The signature is checked before the file is looked at, so an
	// unsigned request cannot learn whether a key exists.
	filename, err := s.verify(key, r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	f, info, off, err := s.open(r.Context(), key)
	if errors.Is(err, blob.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "cannot read the object", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	s.setHeaders(w.Header(), info, filename, r.URL.Query().Get(paramExpires))
	http.ServeContent(w, r, "", info.ModTime, io.NewSectionReader(f, off, info.Size))
}

// setHeaders describes the object, and keeps a browser from running it:
// objects come from bots, so one typed text/html must not become a page
// on the daemon's origin.
func (s *Store) setHeaders(h http.Header, info blob.Info, filename, expires string) {
	h.Set("Content-Type", info.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if filename != "" {
		h.Set("Content-Disposition", blob.ContentDisposition(filename))
	}
	// Caches may keep the response only while the link is valid.
	exp, _ := strconv.ParseInt(expires, 10, 64)
	maxAge := max(0, int64(time.Unix(exp, 0).Sub(s.now())/time.Second))
	h.Set("Cache-Control", "private, max-age="+strconv.FormatInt(maxAge, 10))
}
