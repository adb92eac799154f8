package superjson

import (
	"slices"
	"testing"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		in     string
		legacy bool
		want   Path
	}{
		{"entries.0.timestamp", false, Path{"entries", "0", "timestamp"}},
		{`a\.b.c`, false, Path{"a.b", "c"}},
		{`a\\.b`, false, Path{`a\`, "b"}},
		{`a\\\.b`, false, Path{`a\.b`}},
		{"", false, Path{""}},
		{"a..b", false, Path{"a", "", "b"}},
		{`a\\b`, true, Path{`a\\b`}},
		{`a\.b`, true, Path{"a.b"}},
	}
	for _, tt := range tests {
		got, err := ParsePath(tt.in, tt.legacy)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParsePath(%q, %v) = %q, %v; want %q", tt.in, tt.legacy, got, err, tt.want)
		}
	}
	for _, bad := range []string{`a\b`, `a\`} {
		if _, err := ParsePath(bad, false); err == nil {
			t.Errorf("ParsePath(%q) accepted a bad escape", bad)
		}
	}
}

func TestPathRoundTrip(t *testing.T) {
	for _, p := range []Path{{"a.b", `c\d`, "0"}, {"plain"}, {`\.`, ".", `\`}} {
		got, err := ParsePath(p.String(), false)
		if err != nil || !slices.Equal(got, p) {
			t.Errorf("round trip of %q via %q = %q, %v", p, p.String(), got, err)
		}
	}
}
