package dirblob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"syscall"

	"github.com/meeboter/meeboter/blob"
)

// List implements blob.Store. It walks only the directory the prefix
// names, so listing one bot's logs does not read the whole store.
func (s *Store) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if err := blob.ValidPrefix(prefix); err != nil {
		return nil, err
	}
	infos := []blob.Info{}
	err := fs.WalkDir(s.root.FS(), walkStart(prefix), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == walkStart(prefix) && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) {
				return fs.SkipAll // nothing under the prefix
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return s.visit(ctx, prefix, p, d, &infos)
	})
	if err != nil {
		return nil, fmt.Errorf("list %q: %w", prefix, err)
	}
	// Keys sort byte-wise, as S3 lists them; a walk sorts per directory,
	// which puts a/b after a-c.
	slices.SortFunc(infos, func(a, b blob.Info) int { return strings.Compare(a.Key, b.Key) })
	return infos, nil
}

// walkStart is the deepest directory that holds every key with the prefix.
func walkStart(prefix string) string {
	i := strings.LastIndexByte(prefix, '/')
	if i < 0 {
		return "."
	}
	return prefix[:i]
}

// visit handles one walked entry: it prunes directories outside the
// prefix and the store's own, and adds objects under the prefix.
func (s *Store) visit(ctx context.Context, prefix, p string, d fs.DirEntry, infos *[]blob.Info) error {
	if p == "." {
		return nil
	}
	if d.IsDir() {
		dir := p + "/"
		if strings.HasPrefix(d.Name(), ".") || !strings.HasPrefix(dir, prefix) && !strings.HasPrefix(prefix, dir) {
			return fs.SkipDir
		}
		return nil
	}
	if !d.Type().IsRegular() || !strings.HasPrefix(p, prefix) || blob.ValidKey(p) != nil {
		return nil // not an object: a link, a socket, a file no key names
	}
	info, err := s.Stat(ctx, p)
	if errors.Is(err, blob.ErrNotFound) {
		return nil // deleted since the walk read its directory
	}
	if err != nil {
		return err
	}
	*infos = append(*infos, blob.Info{Key: info.Key, Size: info.Size, ModTime: info.ModTime})
	return nil
}

// DeletePrefix implements blob.Store.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" {
		return fmt.Errorf("%w: prefix must not be empty", blob.ErrInvalid)
	}
	infos, err := s.List(ctx, prefix)
	if err != nil {
		return err
	}
	var errs []error
	for _, info := range infos {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.remove(info.Key); err != nil {
			errs = append(errs, fmt.Errorf("delete %s: %w", info.Key, err))
		}
	}
	return errors.Join(errs...)
}
