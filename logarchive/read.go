package logarchive

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/meeboter/meeboter/blob"
)

// ErrCorrupt means a stored chunk does not hold what its key says or is
// not in the format; the message names the chunk and what is wrong.
var ErrCorrupt = errors.New("logarchive: corrupt chunk")

// ListChunks returns a bot's chunks sorted by first row id. Objects under
// the bot's log prefix whose key is not a chunk key are not chunks and
// are left out (see ParseKey).
func ListChunks(ctx context.Context, s blob.Store, botID int64) ([]ChunkRef, error) {
	infos, err := s.List(ctx, Prefix(botID))
	if err != nil {
		return nil, fmt.Errorf("list bot %d log chunks: %w", botID, err)
	}
	refs := make([]ChunkRef, 0, len(infos))
	for _, info := range infos {
		if ref, ok := ParseKey(botID, info.Key); ok {
			refs = append(refs, ref)
		}
	}
	slices.SortFunc(refs, func(a, b ChunkRef) int {
		return cmp.Or(cmp.Compare(a.FirstID, b.FirstID), cmp.Compare(a.LastID, b.LastID))
	})
	return refs, nil
}

// ReadChunk reads and checks one chunk.
func ReadChunk(ctx context.Context, s blob.Store, ref ChunkRef) ([]Entry, error) {
	rc, _, err := s.Get(ctx, ref.Key)
	if err != nil {
		return nil, fmt.Errorf("read log chunk: %w", err)
	}
	defer rc.Close()
	return Decode(rc, ref)
}

// limits bound what decode accepts; tests shrink them.
type limits struct{ entries, bytes, line int }

var defaultLimits = limits{entries: MaxChunkEntries, bytes: MaxChunkBytes, line: MaxLineBytes}

// Decode parses a chunk's stored bytes, gzipped or not, and checks them
// against ref: every entry belongs to ref's bot, ids ascend, the first and
// last ids are ref's. Errors wrap ErrCorrupt, or are the reader's.
func Decode(r io.Reader, ref ChunkRef) ([]Entry, error) {
	return decode(r, ref, defaultLimits)
}

func decode(r io.Reader, ref ChunkRef, lim limits) ([]Entry, error) {
	plain, err := uncompressed(r)
	if err != nil {
		return nil, corrupt(ref, "%v", err)
	}
	// One byte past the limit tells a chunk at the limit from one above it.
	lr := &io.LimitedReader{R: plain, N: int64(lim.bytes) + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, min(64<<10, lim.line)), lim.line)
	var entries []Entry
	for sc.Scan() {
		e, err := parseLine(sc.Bytes(), ref, len(entries), lastID(entries))
		if err != nil {
			return nil, err
		}
		if entries = append(entries, e); len(entries) > lim.entries {
			return nil, corrupt(ref, "more than %d lines", lim.entries)
		}
	}
	if lr.N == 0 {
		return nil, corrupt(ref, "more than %d bytes uncompressed", lim.bytes)
	}
	if err := sc.Err(); err != nil {
		return nil, corrupt(ref, "%v", err)
	}
	return entries, checkBounds(entries, ref)
}

// uncompressed returns the chunk's JSON Lines, ungzipping when the bytes
// start with gzip's magic number.
func uncompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, err
	}
	if !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	return zr, nil
}

// parseLine decodes the i-th line and checks it follows the previous id.
func parseLine(line []byte, ref ChunkRef, i int, prev int64) (Entry, error) {
	var e Entry
	// Unmarshal also refuses anything after the object.
	if err := json.Unmarshal(line, &e); err != nil {
		return Entry{}, corrupt(ref, "line %d: %v", i+1, err)
	}
	switch {
	case e.ID <= prev:
		return Entry{}, corrupt(ref, "line %d: id %d does not follow id %d", i+1, e.ID, prev)
	case e.BotID != ref.BotID:
		return Entry{}, corrupt(ref, "line %d: bot_id %d, not %d", i+1, e.BotID, ref.BotID)
	}
	fields, err := normalizeFields(e.Fields)
	if err != nil {
		return Entry{}, corrupt(ref, "line %d: %v", i+1, err)
	}
	e.Fields = fields
	return e, nil
}

// checkBounds checks that the chunk holds exactly the rows its key names.
func checkBounds(entries []Entry, ref ChunkRef) error {
	if len(entries) == 0 {
		return corrupt(ref, "no lines")
	}
	if first, last := entries[0].ID, entries[len(entries)-1].ID; first != ref.FirstID || last != ref.LastID {
		return corrupt(ref, "holds rows %d-%d, its key says %d-%d", first, last, ref.FirstID, ref.LastID)
	}
	return nil
}

func lastID(entries []Entry) int64 {
	if len(entries) == 0 {
		return 0
	}
	return entries[len(entries)-1].ID
}

func corrupt(ref ChunkRef, format string, args ...any) error {
	return fmt.Errorf("%w %s: %s", ErrCorrupt, ref.Key, fmt.Sprintf(format, args...))
}
