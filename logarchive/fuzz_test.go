package logarchive

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"testing"
	"time"
)

// FuzzDecode feeds arbitrary stored bytes to the chunk reader: it must
// never panic, and whatever it accepts must be what its key promises.
func FuzzDecode(f *testing.F) {
	valid := []Entry{
		{ID: 3, BotID: 7, EntryID: "a", Time: time.Unix(1764064800, 0).UTC(), Level: "INFO", Message: "joined"},
		{ID: 9, BotID: 7, Time: time.Unix(1764064801, 5e8).UTC(), Level: "WARN", Message: "é ✓\n", Fields: json.RawMessage(`{"state":"IN_CALL","n":[1,2]}`)},
	}
	gzipped, err := encode(valid)
	if err != nil {
		f.Fatal(err)
	}
	var plain bytes.Buffer
	zr, _ := gzip.NewReader(bytes.NewReader(gzipped))
	_, _ = plain.ReadFrom(zr)
	f.Add(gzipped, int64(3), int64(9))
	f.Add(plain.Bytes(), int64(3), int64(9))
	f.Add([]byte(`{"id":1,"bot_id":7,"fields":null}`+"\n"), int64(1), int64(1))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, int64(1), int64(1))
	f.Add([]byte("\n\n"), int64(1), int64(2))
	f.Fuzz(func(t *testing.T, data []byte, first, last int64) {
		ref := ChunkRef{BotID: 7, FirstID: first, LastID: last, Key: "k"}
		lim := limits{entries: 1000, bytes: 1 << 20, line: 64 << 10}
		entries, err := decode(bytes.NewReader(data), ref, lim)
		if err != nil {
			return
		}
		if len(entries) == 0 || len(entries) > lim.entries {
			t.Fatalf("accepted %d entries", len(entries))
		}
		if entries[0].ID != first || entries[len(entries)-1].ID != last {
			t.Fatalf("accepted ids %d-%d for a key of %d-%d", entries[0].ID, entries[len(entries)-1].ID, first, last)
		}
		for i, e := range entries {
			if e.BotID != 7 || (i > 0 && e.ID <= entries[i-1].ID) || e.ID < 1 {
				t.Fatalf("accepted entry %d: %+v", i, e)
			}
			if len(e.Fields) > 0 && (e.Fields[0] != '{' || !json.Valid(e.Fields)) {
				t.Fatalf("accepted fields %q", e.Fields)
			}
		}
		// What the reader accepts, the writer can write again, and reading
		// that gives the same entries.
		again, err := encode(entries)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		round, err := decode(bytes.NewReader(again), ref, lim)
		if err != nil || len(round) != len(entries) {
			t.Fatalf("round trip: %d entries, %v", len(round), err)
		}
	})
}

// FuzzParseKey checks that the keys ParseKey accepts are exactly the keys
// Key makes.
func FuzzParseKey(f *testing.F) {
	f.Add(Key(7, 1, 2))
	f.Add("bots/7/logs/00000000000000000001-0000000000000000000a.jsonl.gz")
	f.Add("bots/7/logs/2026-11-25/1.jsonl.gz")
	f.Fuzz(func(t *testing.T, key string) {
		ref, ok := ParseKey(7, key)
		if !ok {
			return
		}
		if Key(7, ref.FirstID, ref.LastID) != key || ref.FirstID < 1 || ref.LastID < ref.FirstID {
			t.Fatalf("ParseKey(%q) = %+v", key, ref)
		}
	})
}
