package daemon

import (
	"context"
	"io"
	"os"
	"path/filepath"
)

// openBlob opens an object the agent stored in the data directory (a
// screenshot) for the web console. os.OpenInRoot keeps a key from
// reaching outside the blob directory, by ".." or by a symbolic link. A
// missing object is an error matching fs.ErrNotExist.
func (s *Server) openBlob(ctx context.Context, key string) (io.ReadCloser, error) {
	return os.OpenInRoot(filepath.Join(s.cfg.DataDir, "blobs"), filepath.FromSlash(key))
}
