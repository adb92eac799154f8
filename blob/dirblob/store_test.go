package dirblob_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/dirblob"
)

func TestNew_Config(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name    string
		cfg     dirblob.Config
		wantErr string
	}{
		{"NoDir", dirblob.Config{BaseURL: "http://x", SigningKey: testKey}, "Dir is required"},
		{"ShortKey", dirblob.Config{Dir: dir, BaseURL: "http://x", SigningKey: []byte("short")}, "SigningKey must be at least 16 bytes"},
		{"NoBaseURL", dirblob.Config{Dir: dir, SigningKey: testKey}, "BaseURL"},
		{"RelativeBaseURL", dirblob.Config{Dir: dir, BaseURL: "/v1", SigningKey: testKey}, "BaseURL"},
		{"BaseURLQuery", dirblob.Config{Dir: dir, BaseURL: "https://x/?a=b", SigningKey: testKey}, "BaseURL"},
		{"FTP", dirblob.Config{Dir: dir, BaseURL: "ftp://x", SigningKey: testKey}, "BaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := dirblob.New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestStore_FilesAndModes(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	blobtest.Put(t, s, "bots/1/logs/chunk", []byte("payload"), "application/gzip")
	path := filepath.Join(dir, "bots", "1", "logs", "chunk")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the object is not at its key's path: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	for _, d := range []string{"bots", "bots/1", "bots/1/logs"} {
		if st, err := os.Stat(filepath.Join(dir, d)); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("dir %s: %v, %v; want mode 0700", d, st.Mode().Perm(), err)
		}
	}
	raw, _ := os.ReadFile(path)
	if !bytes.HasSuffix(raw, []byte("payload")) || !bytes.Contains(raw, []byte("application/gzip")) {
		t.Errorf("file = %q, want the header with the content type, then the bytes", raw)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, ".tmp")); len(entries) != 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestStore_FailedPutLeavesNoTemp(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	if err := s.Put(t.Context(), "k", strings.NewReader("abc"), 5, ""); err == nil {
		t.Fatal("short body accepted")
	}
	blobtest.Put(t, s, "a/b", []byte("file"), "")
	// a/b is a file, so a/b/c cannot be created; the error must surface.
	if err := s.Put(t.Context(), "a/b/c", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("Put under a key that is a file succeeded")
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, ".tmp")); len(entries) != 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestStore_FilesWithoutHeader(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	png := []byte("\x89PNG\r\n\x1a\nrest of an image")
	path := filepath.Join(dir, "bots", "2", "screenshots", "old.png")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o600); err != nil {
		t.Fatal(err)
	}
	got, info := blobtest.Get(t, s, "bots/2/screenshots/old.png")
	if !bytes.Equal(got, png) || info.ContentType != "image/png" || info.Size != int64(len(png)) {
		t.Errorf("legacy file read as %q %+v", got, info)
	}
	infos, err := s.List(t.Context(), "bots/2/")
	if err != nil || len(infos) != 1 || infos[0].Size != int64(len(png)) {
		t.Errorf("List = %+v, %v", infos, err)
	}
	// A short file cannot hold a header at all.
	if err := os.WriteFile(filepath.Join(dir, "tiny"), []byte("hi"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, info := blobtest.Get(t, s, "tiny"); string(got) != "hi" || info.ContentType != blob.DefaultContentType {
		t.Errorf("tiny file read as %q %+v", got, info)
	}
}

func TestStore_SymlinkCannotEscape(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "bots")); err != nil {
		t.Fatal(err)
	}
	if rc, _, err := s.Get(t.Context(), "bots/secret"); err == nil {
		rc.Close()
		t.Error("Get followed a link out of the store's directory")
	}
	if err := s.Put(t.Context(), "bots/planted", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("Put wrote through a link out of the store's directory")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file appeared outside the store: %v", err)
	}
}

func TestStore_DeleteRemovesEmptyDirs(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	blobtest.Put(t, s, "bots/9/logs/a", []byte("a"), "")
	blobtest.Put(t, s, "bots/8/logs/b", []byte("b"), "")
	if err := s.DeletePrefix(t.Context(), "bots/9/"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bots", "9")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("bots/9 is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bots", "8", "logs", "b")); err != nil {
		t.Errorf("bots/8 was touched: %v", err)
	}
}

// TestStore_PutRacesDirectoryRemoval writes and deletes the only objects
// of one directory from two goroutines, so each Delete removes the
// directory while the other goroutine's Put is about to rename into it.
func TestStore_PutRacesDirectoryRemoval(t *testing.T) {
	t.Parallel()
	s, _ := newServed(t, time.Now)
	var wg sync.WaitGroup
	for _, key := range []string{"race/dir/one", "race/dir/two"} {
		wg.Go(func() {
			for i := range 150 {
				if err := s.Put(t.Context(), key, strings.NewReader("x"), 1, ""); err != nil {
					t.Errorf("Put %d of %s: %v", i, key, err)
					return
				}
				if err := s.Delete(t.Context(), key); err != nil {
					t.Errorf("Delete %d of %s: %v", i, key, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestNew_RemovesStaleTemps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp := filepath.Join(dir, ".tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	old, fresh := filepath.Join(tmp, "put-old"), filepath.Join(tmp, "put-fresh")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	s, err := dirblob.New(dirblob.Config{Dir: dir, BaseURL: "http://127.0.0.1:1", SigningKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temp file (maybe another store's write) was removed: %v", err)
	}
	if infos, err := s.List(t.Context(), ""); err != nil || len(infos) != 0 {
		t.Errorf("List shows the store's own files: %+v, %v", infos, err)
	}
}

func TestStore_TempDirRemoved(t *testing.T) {
	t.Parallel()
	s, dir := newServed(t, time.Now)
	if err := os.RemoveAll(filepath.Join(dir, ".tmp")); err != nil {
		t.Fatal(err)
	}
	blobtest.Put(t, s, "after/cleanup", []byte("x"), "")
}
