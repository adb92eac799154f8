package logarchive_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/logarchive"
)

func TestKey(t *testing.T) {
	t.Parallel()
	if got := logarchive.Key(7, 1, 12345678901); got != "bots/7/logs/00000000000000000001-00000000012345678901.jsonl.gz" {
		t.Errorf("Key = %q", got)
	}
	ref, ok := logarchive.ParseKey(7, "bots/7/logs/00000000000000000001-00000000012345678901.jsonl.gz")
	if !ok || ref.FirstID != 1 || ref.LastID != 12345678901 || ref.BotID != 7 {
		t.Errorf("ParseKey = %+v, %v", ref, ok)
	}
	for _, bad := range []string{
		"bots/7/logs/2026-11-25/1764064800000.jsonl.gz", // the original's layout
		"bots/7/logs/00000000000000000002-00000000000000000001.jsonl.gz",
		"bots/7/logs/00000000000000000000-00000000000000000001.jsonl.gz",
		"bots/7/logs/0000000000000000000a-00000000000000000001.jsonl.gz",
		"bots/7/logs/00000000000000000001-00000000000000000001.jsonl",
		"bots/8/logs/00000000000000000001-00000000000000000001.jsonl.gz",
		"bots/7/logs/x/00000000000000000001-00000000000000000001.jsonl.gz",
		"bots/7/logs/99999999999999999999-99999999999999999999.jsonl.gz", // beyond int64
	} {
		if ref, ok := logarchive.ParseKey(7, bad); ok {
			t.Errorf("ParseKey(%q) = %+v, want not a chunk key", bad, ref)
		}
	}
}

func TestWriteChunk(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := b.open(t)
			entries := rows(7, 100, 50)
			ref, err := logarchive.WriteChunk(t.Context(), s, 7, entries)
			if err != nil {
				t.Fatalf("WriteChunk: %v", err)
			}
			if ref.Key != logarchive.Key(7, entries[0].ID, entries[49].ID) || ref.FirstID != entries[0].ID || ref.LastID != entries[49].ID {
				t.Errorf("ref = %+v", ref)
			}
			stored, info := blobtest.Get(t, s, ref.Key)
			if info.ContentType != "application/gzip" {
				t.Errorf("content type %q", info.ContentType)
			}
			zr, err := gzip.NewReader(bytes.NewReader(stored))
			if err != nil {
				t.Fatalf("stored chunk is not gzip: %v", err)
			}
			plain, _ := io.ReadAll(zr)
			lines := strings.Split(strings.TrimSuffix(string(plain), "\n"), "\n")
			if len(lines) != 50 || !strings.HasPrefix(lines[0], `{"id":101,"bot_id":7,"entry_id":"e101","time":"2026-11-25T10:00:00.101Z","level":"INFO"`) {
				t.Errorf("JSON Lines: %d lines, first %s", len(lines), lines[0])
			}
			got, err := logarchive.ReadChunk(t.Context(), s, ref)
			if err != nil {
				t.Fatalf("ReadChunk: %v", err)
			}
			assertSame(t, got, entries)

			// Archiving the same rows again (a crash between upload and
			// delete) rewrites the same object with the same bytes.
			again, err := logarchive.WriteChunk(t.Context(), s, 7, entries)
			if err != nil || again != ref {
				t.Fatalf("second WriteChunk = %+v, %v", again, err)
			}
			if restored, _ := blobtest.Get(t, s, ref.Key); !bytes.Equal(restored, stored) {
				t.Error("the re-upload wrote different bytes")
			}
			if refs, err := logarchive.ListChunks(t.Context(), s, 7); err != nil || len(refs) != 1 {
				t.Errorf("ListChunks after re-upload = %+v, %v; want one chunk", refs, err)
			}
		})
	}
}

func TestWriteChunk_Invalid(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	good := rows(7, 0, 3)
	with := func(edit func([]Entry)) []Entry {
		e := append([]Entry(nil), good...)
		edit(e)
		return e
	}
	tests := []struct {
		name    string
		bot     int64
		entries []Entry
		want    string
	}{
		{"NoEntries", 7, nil, "1 to 50000 entries, not 0"},
		{"BadBot", 0, good, "bot id 0 must be positive"},
		{"ZeroID", 7, with(func(e []Entry) { e[0].ID = 0 }), "entries[0].id 0 must be positive"},
		{"Descending", 7, with(func(e []Entry) { e[2].ID = e[1].ID }), "entries[2].id"},
		{"OtherBot", 7, with(func(e []Entry) { e[1].BotID = 8 }), "entries[1].bot_id is 8"},
		{"FieldsArray", 7, with(func(e []Entry) { e[1].Fields = []byte(`[1]`) }), "entries[1].fields is not a JSON object"},
		{"FieldsBroken", 7, with(func(e []Entry) { e[2].Fields = []byte(`{"a":`) }), "entries[2].fields"},
		{"LineTooLong", 7, with(func(e []Entry) { e[0].Message = strings.Repeat("x", logarchive.MaxLineBytes) }), "entries[0] is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := logarchive.WriteChunk(t.Context(), s, tt.bot, tt.entries)
			if !errors.Is(err, logarchive.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WriteChunk = %v, want ErrInvalid containing %q", err, tt.want)
			}
		})
	}
	if infos, _ := s.List(t.Context(), ""); len(infos) != 0 {
		t.Errorf("refused chunks were written: %+v", infos)
	}
}

// assertSame compares entries field by field, times by instant.
func assertSame(t *testing.T, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.BotID != w.BotID || g.EntryID != w.EntryID || !g.Time.Equal(w.Time) ||
			g.Level != w.Level || g.Message != w.Message || !bytes.Equal(g.Fields, w.Fields) {
			t.Fatalf("entry %d = %+v, want %+v", i, g, w)
		}
	}
}

// TestWriteChunk_LineAtLimit writes the longest line the writer allows and
// reads it back: writer and reader agree on the bound.
func TestWriteChunk_LineAtLimit(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	e := rows(7, 0, 1)
	e[0].Message = ""
	base, err := json.Marshal(e[0])
	if err != nil {
		t.Fatal(err)
	}
	e[0].Message = strings.Repeat("x", logarchive.MaxLineBytes-1-len(base))
	ref, err := logarchive.WriteChunk(t.Context(), s, 7, e)
	if err != nil {
		t.Fatalf("WriteChunk at the line limit: %v", err)
	}
	got, err := logarchive.ReadChunk(t.Context(), s, ref)
	if err != nil || len(got) != 1 || got[0].Message != e[0].Message {
		t.Fatalf("ReadChunk at the line limit: %d entries, %v", len(got), err)
	}
	e[0].Message += "x"
	if _, err := logarchive.WriteChunk(t.Context(), s, 7, e); !errors.Is(err, logarchive.ErrInvalid) {
		t.Errorf("one byte over: %v, want ErrInvalid", err)
	}
}
