package blobtest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// badKeys are refused by every method that takes a key, before any I/O.
var badKeys = []string{"", "/abs", "../escape", "a/../../b", "a//b", "a/", "a/./b", ".hidden", `a\b`, "a\x00b", strings.Repeat("k", blob.MaxKey+1)}

func testBadArguments(t *testing.T, su suite) {
	s := su.open(t)
	ctx := t.Context()
	for _, key := range badKeys {
		check := func(op string, err error) {
			t.Helper()
			if !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "key") {
				t.Errorf("%s(%q) = %v, want ErrInvalid naming the key", op, key, err)
			}
		}
		check("Put", s.Put(ctx, key, strings.NewReader("x"), 1, ""))
		_, _, err := s.Get(ctx, key)
		check("Get", err)
		_, err = s.Stat(ctx, key)
		check("Stat", err)
		check("Delete", s.Delete(ctx, key))
		_, err = s.SignedURL(ctx, key, time.Minute, blob.SignOptions{})
		check("SignedURL", err)
	}
	for _, prefix := range []string{"/", "../", "a//", "a/../"} {
		if _, err := s.List(ctx, prefix); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "prefix") {
			t.Errorf("List(%q) = %v, want ErrInvalid naming the prefix", prefix, err)
		}
		if err := s.DeletePrefix(ctx, prefix); !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "prefix") {
			t.Errorf("DeletePrefix(%q) = %v, want ErrInvalid naming the prefix", prefix, err)
		}
	}
	if err := s.DeletePrefix(ctx, ""); !errors.Is(err, blob.ErrInvalid) {
		t.Errorf(`DeletePrefix("") = %v, want ErrInvalid`, err)
	}
	wantInvalid(t, "content type", s.Put(ctx, "k", strings.NewReader("x"), 1, "not a type"))
	wantInvalid(t, "size", s.Put(ctx, "k", strings.NewReader("x"), -2, ""))
	for _, ttl := range []time.Duration{0, -time.Minute, blob.MaxTTL + time.Hour} {
		_, err := s.SignedURL(ctx, "k", ttl, blob.SignOptions{})
		wantInvalid(t, "ttl", err)
	}
	_, err := s.SignedURL(ctx, "k", time.Minute, blob.SignOptions{Filename: "../x"})
	wantInvalid(t, "filename", err)
}

// wantInvalid fails t unless err wraps blob.ErrInvalid and names field.
func wantInvalid(t *testing.T, field string, err error) {
	t.Helper()
	if !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), field) {
		t.Errorf("err = %v, want ErrInvalid naming the %s", err, field)
	}
}
