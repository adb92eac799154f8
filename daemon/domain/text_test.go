package domain

import (
	"encoding/json"
	"testing"
)

func TestClean(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"ok": "ok", "a\x00b": "a\uFFFDb", "bad\xffbyte": "bad\uFFFDbyte", "": ""} {
		if got := Clean(in); got != want || !ValidText(got) {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"a":"x"}`:                  `{"a":"x"}`,
		`{"a":"x\u0000y"}`:           `{"a":"x�y"}`,
		`{"a\u0000":"\ud800"}`:       `{"a�":"�"}`,
		`["\ud83d\ude00"]`:           `["😀"]`,
		`{"n":12345678901234567890}`: `{"n":12345678901234567890}`,
	} {
		got, err := CleanJSON(json.RawMessage(in))
		if err != nil || string(got) != want || !ValidJSONText(got) {
			t.Errorf("CleanJSON(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := CleanJSON(json.RawMessage(`{"a":"\u0000"`)); err == nil {
		t.Error("broken JSON cleaned")
	}
}

func FuzzCleanJSON(f *testing.F) {
	for _, s := range []string{`{"a":"\u0000"}`, `"\ud800"`, `[1,"x\ud83d\ude00"]`, "\"\xff\"", `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		out, err := CleanJSON(raw)
		if err != nil {
			t.Fatalf("valid JSON %q refused: %v", raw, err)
		}
		if !json.Valid(out) || !ValidJSONText(out) {
			t.Fatalf("CleanJSON(%q) = %q, not storable", raw, out)
		}
	})
}
