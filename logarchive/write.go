package logarchive

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/meeboter/meeboter/blob"
)

// ErrInvalid means entries were refused before anything was written; the
// message names the entry and field.
var ErrInvalid = errors.New("logarchive: invalid")

// WriteChunk archives entries, a bot's log lines in ascending row id
// order, as one chunk, and returns its ref. Writing the same entries again
// writes the same key with the same bytes.
func WriteChunk(ctx context.Context, s blob.Store, botID int64, entries []Entry) (ChunkRef, error) {
	if err := checkEntries(botID, entries); err != nil {
		return ChunkRef{}, err
	}
	body, err := encode(entries)
	if err != nil {
		return ChunkRef{}, err
	}
	first, last := entries[0].ID, entries[len(entries)-1].ID
	ref := ChunkRef{BotID: botID, FirstID: first, LastID: last, Key: Key(botID, first, last)}
	if err := s.Put(ctx, ref.Key, bytes.NewReader(body), int64(len(body)), ContentType); err != nil {
		return ChunkRef{}, fmt.Errorf("archive bot %d rows %d-%d: %w", botID, first, last, err)
	}
	return ref, nil
}

// checkEntries validates a chunk's entries.
func checkEntries(botID int64, entries []Entry) error {
	if botID < 1 {
		return fmt.Errorf("%w: bot id %d must be positive", ErrInvalid, botID)
	}
	if len(entries) == 0 || len(entries) > MaxChunkEntries {
		return fmt.Errorf("%w: a chunk holds 1 to %d entries, not %d", ErrInvalid, MaxChunkEntries, len(entries))
	}
	prev := int64(0)
	for i, e := range entries {
		switch {
		case e.ID <= prev:
			return fmt.Errorf("%w: entries[%d].id %d must be positive and above the previous id %d", ErrInvalid, i, e.ID, prev)
		case e.BotID != botID:
			return fmt.Errorf("%w: entries[%d].bot_id is %d, not the chunk's bot %d", ErrInvalid, i, e.BotID, botID)
		}
		if _, err := normalizeFields(e.Fields); err != nil {
			return fmt.Errorf("%w: entries[%d].%v", ErrInvalid, i, err)
		}
		prev = e.ID
	}
	return nil
}

// encode writes entries as gzipped JSON Lines. The gzip header has no
// name and no time, so the bytes depend on the entries alone.
func encode(entries []Entry) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	total := 0
	for i, e := range entries {
		e.Time = e.Time.UTC()
		e.Fields, _ = normalizeFields(e.Fields) // checked by checkEntries
		line, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("%w: entries[%d]: %v", ErrInvalid, i, err)
		}
		if len(line)+1 > MaxLineBytes {
			return nil, fmt.Errorf("%w: entries[%d] is %d bytes as JSON, more than %d", ErrInvalid, i, len(line), MaxLineBytes)
		}
		if total += len(line) + 1; total > MaxChunkBytes {
			return nil, fmt.Errorf("%w: the entries are more than %d bytes as JSON; write smaller chunks", ErrInvalid, MaxChunkBytes)
		}
		zw.Write(append(line, '\n')) // a bytes.Buffer cannot fail; Close reports anything else
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
