package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/meeboter/meeboter/blob"
)

func TestContentType(t *testing.T) {
	t.Parallel()
	if ct, err := blob.ContentType(""); err != nil || ct != blob.DefaultContentType {
		t.Errorf(`ContentType("") = %q, %v; want the default`, ct, err)
	}
	for _, ok := range []string{"image/webp", "application/gzip", "text/plain; charset=utf-8"} {
		if ct, err := blob.ContentType(ok); err != nil || ct != ok {
			t.Errorf("ContentType(%q) = %q, %v", ok, ct, err)
		}
	}
	for _, bad := range []string{"not a type", "text/plain\r\nX-Evil: 1", "image/", strings.Repeat("a", 300) + "/b"} {
		if _, err := blob.ContentType(bad); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "content type") {
			t.Errorf("ContentType(%q) = %v, want ErrInvalid naming the content type", bad, err)
		}
	}
}

func TestValidTTL(t *testing.T) {
	t.Parallel()
	for _, ok := range []time.Duration{time.Second, time.Hour, blob.MaxTTL} {
		if err := blob.ValidTTL(ok); err != nil {
			t.Errorf("ValidTTL(%s) = %v", ok, err)
		}
	}
	for _, bad := range []time.Duration{0, -time.Hour, time.Millisecond, blob.MaxTTL + time.Second} {
		if err := blob.ValidTTL(bad); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "ttl") {
			t.Errorf("ValidTTL(%s) = %v, want ErrInvalid naming the ttl", bad, err)
		}
	}
}

func TestValidFilename(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"", "recording.webm", "bot 7 — call.wav"} {
		if err := blob.ValidFilename(ok); err != nil {
			t.Errorf("ValidFilename(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"a/b", `a\b`, "a\r\nb", strings.Repeat("x", 256), "\xff"} {
		if err := blob.ValidFilename(bad); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "filename") {
			t.Errorf("ValidFilename(%q) = %v, want ErrInvalid naming the filename", bad, err)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	if got := blob.ContentDisposition("call.wav"); got != "attachment; filename=call.wav" {
		t.Errorf("ascii: %q", got)
	}
	if got := blob.ContentDisposition(`a "quoted" name.wav`); got != `attachment; filename="a \"quoted\" name.wav"` {
		t.Errorf("quoted: %q", got)
	}
	if got := blob.ContentDisposition("café.wav"); got != "attachment; filename*=utf-8''caf%C3%A9.wav" {
		t.Errorf("utf-8: %q", got)
	}
}

func TestSizedReader(t *testing.T) {
	t.Parallel()
	body := []byte("0123456789")
	read := func(ctx context.Context, r io.Reader, size int64) ([]byte, error) {
		return io.ReadAll(blob.SizedReader(ctx, r, size))
	}
	if got, err := read(t.Context(), bytes.NewReader(body), 10); err != nil || !bytes.Equal(got, body) {
		t.Errorf("exact: %q, %v", got, err)
	}
	if got, err := read(t.Context(), iotest.OneByteReader(bytes.NewReader(body)), -1); err != nil || !bytes.Equal(got, body) {
		t.Errorf("unknown size: %q, %v", got, err)
	}
	if _, err := read(t.Context(), bytes.NewReader(body), 11); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "ended after 10 of the declared 11") {
		t.Errorf("short body: %v", err)
	}
	if _, err := read(t.Context(), bytes.NewReader(body), 9); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "longer than the declared 9") {
		t.Errorf("long body: %v", err)
	}
	if _, err := read(t.Context(), iotest.DataErrReader(bytes.NewReader(body)), 10); err != nil {
		t.Errorf("data with EOF: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := read(ctx, bytes.NewReader(body), 10); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
	if err := blob.ValidSize(-2); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "size") {
		t.Errorf("ValidSize(-2) = %v", err)
	}
}
