package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
)

func testPutGet(t *testing.T, su suite) {
	s := su.open(t)
	body := []byte(`{"hello":"world"}` + "\n")
	before := time.Now().Add(-time.Minute)
	Put(t, s, "bots/1/a.json", body, "application/json")
	got, info := Get(t, s, "bots/1/a.json")
	if !bytes.Equal(got, body) {
		t.Errorf("Get body = %q, want %q", got, body)
	}
	want := blob.Info{Key: "bots/1/a.json", Size: int64(len(body)), ContentType: "application/json"}
	if info.Key != want.Key || info.Size != want.Size || info.ContentType != want.ContentType {
		t.Errorf("Get info = %+v, want %+v", info, want)
	}
	if info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(time.Minute)) {
		t.Errorf("ModTime = %v, want about now", info.ModTime)
	}
	st, err := s.Stat(t.Context(), "bots/1/a.json")
	if err != nil || st.Key != want.Key || st.Size != want.Size || st.ContentType != want.ContentType {
		t.Errorf("Stat = %+v, %v; want %+v", st, err, want)
	}
}

func testEmptyObject(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "empty", nil, "")
	got, info := Get(t, s, "empty")
	if len(got) != 0 || info.Size != 0 || info.ContentType != blob.DefaultContentType {
		t.Errorf("empty object = %q, %+v; want no bytes, the default content type", got, info)
	}
	if err := s.Put(t.Context(), "nil-body", nil, 0, "text/plain"); err != nil {
		t.Fatalf("Put with a nil body: %v", err)
	}
	if got, _ := Get(t, s, "nil-body"); len(got) != 0 {
		t.Errorf("nil body stored as %q", got)
	}
}

func testUnknownSize(t *testing.T, su suite) {
	s := su.open(t)
	body := make([]byte, 300_000)
	_, _ = rand.Read(body)
	// A reader that hides its length, as a pipe or a network body does.
	r := io.MultiReader(bytes.NewReader(body[:1000]), bytes.NewReader(body[1000:]))
	if err := s.Put(t.Context(), "stream.bin", r, -1, "application/octet-stream"); err != nil {
		t.Fatalf("Put of unknown size: %v", err)
	}
	got, info := Get(t, s, "stream.bin")
	if !bytes.Equal(got, body) || info.Size != int64(len(body)) {
		t.Errorf("got %d bytes (info %d), want %d", len(got), info.Size, len(body))
	}
}

func testSizeMismatch(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "kept", []byte("old"), "text/plain")
	for _, size := range []int64{2, 10} {
		err := s.Put(t.Context(), "kept", strings.NewReader("new!"), size, "text/plain")
		if !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "size") {
			t.Errorf("Put of 4 bytes declared %d = %v, want ErrInvalid naming the size", size, err)
		}
		err = s.Put(t.Context(), "never", strings.NewReader("new!"), size, "text/plain")
		if err == nil {
			t.Errorf("Put of 4 bytes declared %d to a new key succeeded", size)
		}
	}
	if got, _ := Get(t, s, "kept"); string(got) != "old" {
		t.Errorf("after failed overwrites the object is %q, want the old one", got)
	}
	if _, err := s.Stat(t.Context(), "never"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a failed Put left an object: Stat = %v", err)
	}
}

func testOverwrite(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "x/y", []byte("first version, longer"), "text/plain")
	Put(t, s, "x/y", []byte("second"), "image/webp")
	got, info := Get(t, s, "x/y")
	if string(got) != "second" || info.Size != 6 || info.ContentType != "image/webp" {
		t.Errorf("after overwrite: %q %+v", got, info)
	}
}

func testContentTypes(t *testing.T, su suite) {
	s := su.open(t)
	for i, ct := range []string{"image/webp", "application/gzip", "text/plain; charset=utf-8", "audio/wav", "video/webm"} {
		key := "types/" + string(rune('a'+i))
		Put(t, s, key, []byte(ct), ct)
		if _, info := Get(t, s, key); info.ContentType != ct {
			t.Errorf("Get content type = %q, want %q", info.ContentType, ct)
		}
		if info, err := s.Stat(t.Context(), key); err != nil || info.ContentType != ct {
			t.Errorf("Stat content type = %q (%v), want %q", info.ContentType, err, ct)
		}
	}
}

func testMissing(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "present/child", []byte("x"), "")
	for _, key := range []string{"absent", "present", "present/child/deeper", "other/absent"} {
		if rc, _, err := s.Get(t.Context(), key); !errors.Is(err, blob.ErrNotFound) {
			if rc != nil {
				rc.Close()
			}
			t.Errorf("Get(%q) = %v, want ErrNotFound", key, err)
		}
		if _, err := s.Stat(t.Context(), key); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
		}
		if err := s.Delete(t.Context(), key); err != nil {
			t.Errorf("Delete(%q) of a missing key = %v, want nil", key, err)
		}
	}
	if err := s.DeletePrefix(t.Context(), "nothing/here/"); err != nil {
		t.Errorf("DeletePrefix of nothing = %v", err)
	}
	if got, err := s.List(t.Context(), "nothing/"); err != nil || len(got) != 0 {
		t.Errorf("List of nothing = %v, %v; want empty", got, err)
	}
}

func testDelete(t *testing.T, su suite) {
	s := su.open(t)
	Put(t, s, "d/one", []byte("1"), "")
	Put(t, s, "d/two", []byte("2"), "")
	if err := s.Delete(t.Context(), "d/one"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Stat(t.Context(), "d/one"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat after Delete = %v, want ErrNotFound", err)
	}
	if err := s.Delete(t.Context(), "d/one"); err != nil {
		t.Errorf("second Delete = %v, want nil", err)
	}
	if got, _ := Get(t, s, "d/two"); string(got) != "2" {
		t.Errorf("the other object is %q", got)
	}
	// Deleting the last object under a prefix must not stop a new one
	// from being written there.
	if err := s.Delete(t.Context(), "d/two"); err != nil {
		t.Fatal(err)
	}
	Put(t, s, "d/three", []byte("3"), "")
}

func testCanceled(t *testing.T, su suite) {
	s := su.open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Put(ctx, "c", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("Put with a canceled context succeeded")
	}
	if _, err := s.List(ctx, ""); err == nil {
		t.Error("List with a canceled context succeeded")
	}
	if _, err := s.Stat(t.Context(), "c"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a canceled Put left an object: %v", err)
	}
}
