package dirblob

import (
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path"
	"time"
)

// tmpDir holds writes in progress. Keys may not start with a dot, so it
// can never collide with an object, and listings skip it.
const tmpDir = ".tmp"

// staleTemp is how old a temporary file must be before New removes it:
// far longer than any write takes, so a Store starting next to another
// one on the same directory never removes a write still under way.
const staleTemp = time.Hour

// createTemp creates a new, empty temporary file, readable by its owner
// only, and returns its name relative to the root.
func (s *Store) createTemp() (string, *os.File, error) {
	for {
		name := path.Join(tmpDir, "put-"+rand.Text())
		f, err := s.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case errors.Is(err, fs.ErrExist):
			continue // a name taken already: draw another
		case errors.Is(err, fs.ErrNotExist):
			// Someone removed the temporary directory (a cleanup of the
			// data dir); make it again rather than fail every Put.
			if err := s.root.MkdirAll(tmpDir, 0o700); err != nil {
				return "", nil, err
			}
			f, err = s.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		}
		return name, f, err
	}
}

// removeStaleTemps removes what writes interrupted by a crash left behind.
// It is best effort: a file it cannot remove costs only disk space.
func (s *Store) removeStaleTemps() {
	entries, err := fs.ReadDir(s.root.FS(), tmpDir)
	if err != nil {
		return
	}
	cutoff := time.Now().Add(-staleTemp)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			_ = s.root.Remove(path.Join(tmpDir, e.Name()))
		}
	}
}

// syncDir flushes a directory's entries, so a rename into it survives a
// crash. Some file systems cannot sync a directory; that only weakens
// durability there, so the error is ignored.
func (s *Store) syncDir(dir string) {
	d, err := s.root.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
