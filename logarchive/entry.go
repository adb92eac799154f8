package logarchive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Entry is one archived log line. It mirrors the database's log rows.
type Entry struct {
	// ID is the database row id; it orders the log.
	ID int64 `json:"id"`
	// BotID is the bot the line belongs to.
	BotID int64 `json:"bot_id"`
	// EntryID is the bot's own id for the line, which deduplicates resent
	// lines.
	EntryID string    `json:"entry_id,omitempty"`
	Time    time.Time `json:"time"`
	Level   string    `json:"level"`
	Message string    `json:"message"`
	// Fields holds the line's other attributes (state, location, context,
	// elapsed) as a JSON object.
	Fields json.RawMessage `json:"fields,omitempty"`
}

// ChunkRef names one archived chunk.
type ChunkRef struct {
	BotID   int64
	FirstID int64
	LastID  int64
	Key     string
}

// ContentType is the content type chunks are stored with. No
// Content-Encoding is set, so clients hand the gzip bytes over as they are.
const ContentType = "application/gzip"

// Limits of one chunk, shared by writer and reader.
const (
	MaxChunkEntries = 50_000
	MaxChunkBytes   = 64 << 20 // JSON Lines before compression
	MaxLineBytes    = 1 << 20
)

// keySuffix ends every chunk key.
const keySuffix = ".jsonl.gz"

// Prefix is the key prefix of a bot's archive.
func Prefix(botID int64) string { return "bots/" + strconv.FormatInt(botID, 10) + "/logs/" }

// Key is the key of the chunk holding rows first to last of a bot.
func Key(botID, first, last int64) string {
	return fmt.Sprintf("%s%020d-%020d%s", Prefix(botID), first, last, keySuffix)
}

// ParseKey reads a chunk key of botID back into a ChunkRef. Keys in any
// other form, such as the original server's date-named archives, which
// carry no row ids and so cannot join the id cursor, report false.
func ParseKey(botID int64, key string) (ChunkRef, bool) {
	name, ok := strings.CutPrefix(key, Prefix(botID))
	if !ok {
		return ChunkRef{}, false
	}
	name, ok = strings.CutSuffix(name, keySuffix)
	if !ok || len(name) != 41 || name[20] != '-' {
		return ChunkRef{}, false
	}
	first, ok1 := parseID(name[:20])
	last, ok2 := parseID(name[21:])
	if !ok1 || !ok2 || first < 1 || last < first {
		return ChunkRef{}, false
	}
	return ChunkRef{BotID: botID, FirstID: first, LastID: last, Key: key}, true
}

// parseID reads a 20-digit, zero-padded id.
func parseID(s string) (int64, bool) {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// normalizeFields checks that raw, an entry's Fields, is absent, null or
// a JSON object, and returns nil for the first two.
func normalizeFields(raw json.RawMessage) (json.RawMessage, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil, nil
	}
	if t[0] != '{' || !json.Valid(t) {
		return nil, errors.New("fields is not a JSON object")
	}
	return raw, nil
}
