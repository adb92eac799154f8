package blob_test

import (
	"errors"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/blob"
)

func TestValidKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		key     string
		wantErr string // substring; "" means valid
	}{
		{name: "Simple", key: "bots/7/logs/00000000000000000001-00000000000000000002.jsonl.gz"},
		{name: "OneSegment", key: "a"},
		{name: "Unicode", key: "bots/7/screenshots/café ☕.webp"},
		{name: "SpacesAndSymbols", key: "a b/c+d=e&f?g#h"},
		{name: "Empty", key: "", wantErr: "key must not be empty"},
		{name: "LeadingSlash", key: "/etc/passwd", wantErr: "must not start with a slash"},
		{name: "DotDot", key: "bots/../../etc", wantErr: `segment ".." starting with a dot`},
		{name: "DotDotOnly", key: "..", wantErr: "starting with a dot"},
		{name: "Dot", key: "a/./b", wantErr: "starting with a dot"},
		{name: "Hidden", key: "a/.tmp/b", wantErr: "starting with a dot"},
		{name: "DoubleSlash", key: "a//b", wantErr: "empty segment"},
		{name: "TrailingSlash", key: "a/b/", wantErr: "empty segment"},
		{name: "Backslash", key: `a\..\b`, wantErr: `contains '\\'`},
		{name: "NUL", key: "a\x00b", wantErr: `contains '\x00'`},
		{name: "Newline", key: "a\nb", wantErr: `contains '\n'`},
		{name: "BadUTF8", key: "a\xffb", wantErr: "not valid UTF-8"},
		{name: "TooLong", key: strings.Repeat("abcdefgh/", 114) + "abcdefghi", wantErr: "longer than 1024"},
		{name: "LongSegment", key: "a/" + strings.Repeat("x", 256), wantErr: "longer than 255"},
		{name: "MaxSegment", key: "a/" + strings.Repeat("x", 255)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := blob.ValidKey(tt.key)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidKey(%q) = %v, want nil", tt.key, err)
				}
				return
			}
			if !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ValidKey(%q) = %v, want ErrInvalid containing %q", tt.key, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "key") {
				t.Errorf("error %q does not name the key", err)
			}
		})
	}
}

func TestValidPrefix(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"", "bots/", "bots/7/lo", "a"} {
		if err := blob.ValidPrefix(p); err != nil {
			t.Errorf("ValidPrefix(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range []string{"/", "/bots/", "bots//", "../", "bots/../x/", "a\x00"} {
		err := blob.ValidPrefix(p)
		if !errors.Is(err, blob.ErrInvalid) || !strings.Contains(err.Error(), "prefix") {
			t.Errorf("ValidPrefix(%q) = %v, want ErrInvalid naming the prefix", p, err)
		}
	}
}

// FuzzValidKey checks that whatever ValidKey accepts is a clean, relative
// path that stays inside any directory it is joined to.
func FuzzValidKey(f *testing.F) {
	for _, s := range []string{"a", "a/b", "../a", "a/../b", "/a", "a//b", `a\b`, "a/.b", "é/ü", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if blob.ValidKey(key) != nil {
			return
		}
		if path.Clean(key) != key {
			t.Fatalf("accepted %q, which cleans to %q", key, path.Clean(key))
		}
		if !filepath.IsLocal(filepath.FromSlash(key)) {
			t.Fatalf("accepted %q, which is not a local path", key)
		}
		if len(key) > blob.MaxKey || strings.Contains("/"+key+"/", "/../") {
			t.Fatalf("accepted %q", key)
		}
	})
}
