package blobtest

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/meeboter/meeboter/blob"
)

// ManyKeys is how many objects the pagination tests write: more than the
// 1000 keys an S3 listing or batch delete handles in one request.
const ManyKeys = 1005

func testListPrefixes(t *testing.T, su suite) {
	s := su.open(t)
	keys := []string{"a/1", "a/2", "a/sub/x", "a-b", "ab/1", "b/1", "a/3 three"}
	for _, k := range keys {
		Put(t, s, k, []byte(k), "text/plain")
	}
	tests := []struct{ prefix, want string }{
		{"", "a-b a/1 a/2 a/3 three a/sub/x ab/1 b/1"},
		{"a/", "a/1 a/2 a/3 three a/sub/x"},
		{"a", "a-b a/1 a/2 a/3 three a/sub/x ab/1"},
		{"a/s", "a/sub/x"},
		{"a/sub/", "a/sub/x"},
		{"b/1", "b/1"},
		{"c", ""},
		{"a/1/", ""},
	}
	for _, tt := range tests {
		infos, err := s.List(t.Context(), tt.prefix)
		if err != nil {
			t.Fatalf("List(%q): %v", tt.prefix, err)
		}
		got := keysOf(infos)
		if strings.Join(got, " ") != tt.want {
			t.Errorf("List(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
		for _, info := range infos {
			if info.Size != int64(len(info.Key)) || info.ModTime.IsZero() {
				t.Errorf("List(%q) entry %+v: want size %d and a mod time", tt.prefix, info, len(info.Key))
			}
		}
	}
}

func testListPagination(t *testing.T, su suite) {
	s := su.open(t)
	want := PutMany(t, s, "many/", ManyKeys)
	Put(t, s, "manyx", []byte("outside"), "")
	infos, err := s.List(t.Context(), "many/")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if got := keysOf(infos); !slices.Equal(got, want) {
		t.Fatalf("List returned %d keys, want %d (first difference at %d)", len(got), len(want), firstDiff(got, want))
	}
}

func testDeletePrefix(t *testing.T, su suite) {
	s := su.open(t)
	PutMany(t, s, "bots/1/logs/", ManyKeys)
	Put(t, s, "bots/1/screenshots/s.png", []byte("png"), "image/png")
	Put(t, s, "bots/10/logs/keep", []byte("other bot"), "")
	if err := s.DeletePrefix(t.Context(), "bots/1/logs/"); err != nil {
		t.Fatalf("DeletePrefix: %v", err)
	}
	infos, err := s.List(t.Context(), "bots/")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keysOf(infos), " "); got != "bots/1/screenshots/s.png bots/10/logs/keep" {
		t.Errorf("after DeletePrefix the store holds %q", got)
	}
	if err := s.DeletePrefix(t.Context(), "bots/1/"); err != nil {
		t.Fatal(err)
	}
	if infos, _ := s.List(t.Context(), "bots/"); len(infos) != 1 {
		t.Errorf("after deleting bots/1/: %q, want only bots/10's key", keysOf(infos))
	}
}

func testConcurrentPuts(t *testing.T, su suite) {
	s := su.open(t)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			key := fmt.Sprintf("c/%d/obj", i%4) + fmt.Sprint(i)
			body := []byte(strings.Repeat(fmt.Sprint(i), 1000))
			errs <- s.Put(t.Context(), key, strings.NewReader(string(body)), int64(len(body)), "text/plain")
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Put: %v", err)
		}
	}
	for i := range n {
		key := fmt.Sprintf("c/%d/obj", i%4) + fmt.Sprint(i)
		if got, _ := Get(t, s, key); string(got) != strings.Repeat(fmt.Sprint(i), 1000) {
			t.Errorf("%s holds %d bytes of the wrong content", key, len(got))
		}
	}
	if infos, err := s.List(t.Context(), "c/"); err != nil || len(infos) != n {
		t.Errorf("List after concurrent Puts: %d keys, %v; want %d", len(infos), err, n)
	}
}

// PutMany writes n one-byte objects under prefix, eight at a time, and
// returns their keys sorted.
func PutMany(t testing.TB, s blob.Store, prefix string, n int) []string {
	t.Helper()
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("%s%05d", prefix, i)
	}
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for _, k := range keys {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := s.Put(t.Context(), k, strings.NewReader("x"), 1, ""); err != nil {
				mu.Lock()
				firstErr = cmp.Or(firstErr, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("put %d keys: %v", n, firstErr)
	}
	return keys
}

func keysOf(infos []blob.Info) []string {
	keys := make([]string, 0, len(infos))
	for _, info := range infos {
		keys = append(keys, info.Key)
	}
	return keys
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func testConcurrentOverwrite(t *testing.T, su suite) {
	s := su.open(t)
	const writers, size = 6, 64 << 10
	Put(t, s, "hot", bytes.Repeat([]byte{'0'}, size), "text/plain")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			body := bytes.Repeat([]byte{byte('a' + w)}, size)
			for range 10 {
				if err := s.Put(t.Context(), "hot", bytes.NewReader(body), size, "text/plain"); err != nil {
					t.Errorf("Put: %v", err)
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				// Every read sees one writer's whole object, never a mix
				// or a partial write.
				got, _ := Get(t, s, "hot")
				if len(got) != size || bytes.Count(got, got[:1]) != size {
					t.Errorf("read a torn object: %d bytes, starting %q", len(got), got[:min(len(got), 8)])
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
}
