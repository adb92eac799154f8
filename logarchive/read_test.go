package logarchive_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/logarchive"
)

// jsonl renders lines as a chunk's uncompressed body.
func jsonl(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var ref12 = logarchive.ChunkRef{BotID: 7, FirstID: 1, LastID: 2, Key: logarchive.Key(7, 1, 2)}

const (
	line1 = `{"id":1,"bot_id":7,"time":"2026-11-25T10:00:00Z","level":"INFO","message":"a"}`
	line2 = `{"id":2,"bot_id":7,"time":"2026-11-25T10:00:01Z","level":"INFO","message":"b","fields":{"state":"IN_CALL"}}`
)

func TestDecode_PlainAndGzip(t *testing.T) {
	t.Parallel()
	body := jsonl(line1, line2)
	for name, stored := range map[string][]byte{"gzip": gz(t, body), "decompressed on the way": body} {
		got, err := logarchive.Decode(bytes.NewReader(stored), ref12)
		if err != nil || len(got) != 2 || got[1].Message != "b" || string(got[1].Fields) != `{"state":"IN_CALL"}` {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
	// A newer writer's extra field does not break an older reader.
	extra := `{"id":2,"bot_id":7,"time":"2026-11-25T10:00:01Z","level":"INFO","message":"b","trace_id":"x"}`
	if _, err := logarchive.Decode(bytes.NewReader(jsonl(line1, extra)), ref12); err != nil {
		t.Errorf("unknown field: %v", err)
	}
}

func TestDecode_Corrupt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stored []byte
		want   string
	}{
		{"Empty", nil, "no lines"},
		{"NotJSON", jsonl("hello"), "line 1"},
		{"BlankLine", jsonl(line1, "", line2), "line 2"},
		{"TwoValues", jsonl(line1+" {}", line2), "after top-level value"},
		{"Repeat", jsonl(line1, line1), "id 1 does not follow id 1"},
		{"OtherBot", jsonl(line1, strings.Replace(line2, `"bot_id":7`, `"bot_id":8`, 1)), "bot_id 8, not 7"},
		{"KeyLies", jsonl(line1), "holds rows 1-1, its key says 1-2"},
		{"FieldsString", jsonl(line1, strings.Replace(line2, `{"state":"IN_CALL"}`, `"x"`, 1)), "fields is not a JSON object"},
		{"BadGzip", []byte{0x1f, 0x8b, 0, 0}, "logarchive: corrupt chunk"},
		{"TruncatedGzip", gz(t, jsonl(line1, line2))[:30], "logarchive: corrupt chunk"},
		{"LongLine", gz(t, jsonl(line1, `{"id":2,"message":"`+strings.Repeat("x", logarchive.MaxLineBytes)+`"}`)), "token too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := logarchive.Decode(bytes.NewReader(tt.stored), ref12)
			if !errors.Is(err, logarchive.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), ref12.Key) {
				t.Fatalf("Decode = %v, want ErrCorrupt naming the chunk and %q", err, tt.want)
			}
		})
	}
}

func TestListChunks_SkipsOtherObjects(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	for _, from := range []int64{500, 0, 200} {
		if _, err := logarchive.WriteChunk(t.Context(), s, 7, rows(7, from, 10)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := logarchive.WriteChunk(t.Context(), s, 70, rows(70, 0, 10)); err != nil {
		t.Fatal(err)
	}
	blobtest.Put(t, s, "bots/7/logs/2026-11-25/1764064800000-final.jsonl.gz", gz(t, jsonl(line1)), "application/gzip")
	refs, err := logarchive.ListChunks(t.Context(), s, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 3 || refs[0].FirstID != 1 || refs[1].FirstID != 201 || refs[2].FirstID != 501 {
		t.Errorf("ListChunks = %+v, want bot 7's three chunks in id order", refs)
	}
}
