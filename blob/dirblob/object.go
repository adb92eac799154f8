package dirblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"

	"github.com/meeboter/meeboter/blob"
)

// renameTries bounds how often Put retries creating a directory and
// renaming into it while concurrent Puts and Deletes change the tree.
const renameTries = 10

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	ct, err := checkPut(key, size, contentType)
	if err != nil {
		return err
	}
	tmp, err := s.writeTemp(ctx, r, size, ct)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := s.publish(tmp, key); err != nil {
		_ = s.root.Remove(tmp)
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// checkPut validates Put's arguments and returns the content type to
// store.
func checkPut(key string, size int64, contentType string) (string, error) {
	if err := blob.ValidKey(key); err != nil {
		return "", err
	}
	if err := blob.ValidSize(size); err != nil {
		return "", err
	}
	return blob.ContentType(contentType)
}

// writeTemp writes the header and body to a new temporary file, synced
// and closed, and returns its name. On error nothing is left behind.
func (s *Store) writeTemp(ctx context.Context, r io.Reader, size int64, ct string) (_ string, err error) {
	tmp, f, err := s.createTemp()
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			_ = s.root.Remove(tmp)
		}
	}()
	if _, err = f.Write(encodeHeader(ct)); err != nil {
		return "", err
	}
	if _, err = io.Copy(f, blob.SizedReader(ctx, r, size)); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	return tmp, f.Close()
}

// publish renames the temporary file onto the key, creating its
// directories, and syncs the directory so the rename is durable.
func (s *Store) publish(tmp, key string) error {
	dir := path.Dir(key)
	var err error
	for range renameTries {
		// A concurrent Delete may remove a directory on the way (both
		// steps then fail with ErrNotExist), and a concurrent Put may
		// create one between MkdirAll's check and its mkdir (ErrExist).
		// Both are passing states; try again.
		err = s.root.MkdirAll(dir, 0o700)
		if err == nil {
			err = s.root.Rename(tmp, key)
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	s.syncDir(dir)
	return nil
}

// Get implements blob.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	f, info, off, err := s.open(ctx, key)
	if err != nil {
		return nil, blob.Info{}, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, off, info.Size), f}, info, nil
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	f, info, _, err := s.open(ctx, key)
	if err != nil {
		return blob.Info{}, err
	}
	f.Close()
	return info, nil
}

// open opens the object's file and reads its header. It returns the file,
// the object's description and the offset of its bytes in the file.
func (s *Store) open(ctx context.Context, key string) (*os.File, blob.Info, int64, error) {
	if err := blob.ValidKey(key); err != nil {
		return nil, blob.Info{}, 0, err
	}
	if err := ctx.Err(); err != nil {
		return nil, blob.Info{}, 0, err
	}
	f, err := s.root.Open(key)
	if err != nil {
		return nil, blob.Info{}, 0, notFound(key, err)
	}
	info, off, err := describe(f, key)
	if err != nil {
		f.Close()
		return nil, blob.Info{}, 0, err
	}
	return f, info, off, nil
}

// describe reads what Info needs from an open object file.
func describe(f *os.File, key string) (blob.Info, int64, error) {
	st, err := f.Stat()
	if err != nil {
		return blob.Info{}, 0, fmt.Errorf("stat %s: %w", key, err)
	}
	if !st.Mode().IsRegular() {
		// A directory (the parent of other keys) or anything else that is
		// not a file is not an object, as on S3.
		return blob.Info{}, 0, fmt.Errorf("%w: %s", blob.ErrNotFound, key)
	}
	ct, off, err := readHeader(f, st.Size(), key)
	if err != nil {
		return blob.Info{}, 0, fmt.Errorf("read %s: %w", key, err)
	}
	return blob.Info{Key: key, Size: st.Size() - off, ContentType: ct, ModTime: st.ModTime()}, off, nil
}

// notFound maps a missing file, or a path through a file (a/b/c when a/b
// is an object), to blob.ErrNotFound.
func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("%w: %s", blob.ErrNotFound, key)
	}
	return fmt.Errorf("open %s: %w", key, err)
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.remove(key); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// remove deletes the object's file, if any, then the directories it
// leaves empty.
func (s *Store) remove(key string) error {
	st, err := s.root.Lstat(key)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.IsDir() {
		return nil // the parent of other keys, not an object
	}
	if err := s.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.removeEmptyDirs(path.Dir(key))
	return nil
}

// removeEmptyDirs removes dir and its parents while they are empty, so
// deleted bots leave no directories behind. Remove refuses a directory
// that is not empty, which ends the walk; a Put racing with it recreates
// what it needs (see publish).
func (s *Store) removeEmptyDirs(dir string) {
	for dir != "." {
		if s.root.Remove(dir) != nil {
			return
		}
		dir = path.Dir(dir)
	}
}
