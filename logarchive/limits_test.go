package logarchive

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestDecode_Limits checks the entry and byte bounds with small limits,
// which stand for chunks far larger than a test should build.
func TestDecode_Limits(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for id := 1; id <= 10; id++ {
		b.WriteString(`{"id":` + strconv.Itoa(id) + `,"bot_id":7,"time":"2026-11-25T10:00:00Z","level":"INFO","message":"m"}` + "\n")
	}
	body := b.String()
	ref := ChunkRef{BotID: 7, FirstID: 1, LastID: 10, Key: Key(7, 1, 10)}
	if _, err := decode(strings.NewReader(body), ref, limits{entries: 10, bytes: len(body), line: 1 << 10}); err != nil {
		t.Fatalf("at the limits: %v", err)
	}
	for name, lim := range map[string]limits{
		"more than 9 lines":  {entries: 9, bytes: 1 << 20, line: 1 << 10},
		"bytes uncompressed": {entries: 10, bytes: len(body) - 1, line: 1 << 10},
		"token too long":     {entries: 10, bytes: 1 << 20, line: 40},
	} {
		_, err := decode(bytes.NewReader([]byte(body)), ref, lim)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), strings.Fields(name)[len(strings.Fields(name))-1]) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
