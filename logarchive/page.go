package logarchive

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/meeboter/meeboter/blob"
)

// MaxPage is the most entries one Page call returns.
const MaxPage = 10_000

// PageResult is one page of a bot's archived log.
type PageResult struct {
	// Entries are in ascending id order, all above the cursor asked for.
	Entries []Entry
	// Next is the cursor of the following page: the id of the last entry,
	// or the cursor asked for when there are none.
	Next int64
	// More reports whether the archive holds entries after Next.
	More bool
}

// Reader pages through archives in one store, keeping recently read
// chunks decoded so that paging through a chunk in small pages decodes it
// once, not once a page. It is safe for concurrent use.
type Reader struct {
	store blob.Store
	cache *chunkCache
}

// NewReader returns a Reader of s that keeps up to cacheEntries decoded
// entries (0 keeps none).
func NewReader(s blob.Store, cacheEntries int) *Reader {
	return &Reader{store: s, cache: newChunkCache(max(0, cacheEntries))}
}

// Page returns up to limit of the bot's archived entries with ids above
// afterID, reading through a Reader that keeps nothing. See Reader.Page.
func Page(ctx context.Context, s blob.Store, botID, afterID int64, limit int) (PageResult, error) {
	return NewReader(s, 0).Page(ctx, botID, afterID, limit)
}

// Page returns up to limit of the bot's archived entries with ids above
// afterID (0 for the start), in id order. Paging from Next to Next visits
// every archived entry exactly once, however the chunks are cut: a page
// ends exactly after its last entry, and chunks whose id ranges overlap
// (rows archived twice in differently cut chunks) still yield each id
// once. A damaged chunk fails the call with ErrCorrupt rather than being
// passed over.
func (r *Reader) Page(ctx context.Context, botID, afterID int64, limit int) (PageResult, error) {
	if limit < 1 || limit > MaxPage {
		return PageResult{}, fmt.Errorf("%w: limit must be 1 to %d, not %d", ErrInvalid, MaxPage, limit)
	}
	if afterID < 0 {
		return PageResult{}, fmt.Errorf("%w: after id must not be negative, not %d", ErrInvalid, afterID)
	}
	refs, err := ListChunks(ctx, r.store, botID)
	if err != nil {
		return PageResult{}, err
	}
	refs = slices.DeleteFunc(refs, func(c ChunkRef) bool { return c.LastID <= afterID })
	got, read, err := r.collect(ctx, refs, afterID, limit)
	if err != nil {
		return PageResult{}, err
	}
	p := PageResult{Entries: got, Next: afterID, More: len(got) > limit || read < len(refs)}
	if len(got) > limit {
		p.Entries = got[:limit]
	}
	for i := range p.Entries {
		// The cache keeps the entries; the caller gets Fields of its own.
		p.Entries[i].Fields = bytes.Clone(p.Entries[i].Fields)
	}
	if len(p.Entries) > 0 {
		p.Next = p.Entries[len(p.Entries)-1].ID
	}
	return p, nil
}

// read returns a chunk's entries, from the cache when it holds them.
func (r *Reader) read(ctx context.Context, ref ChunkRef) ([]Entry, error) {
	if entries, ok := r.cache.get(ref.Key); ok {
		return entries, nil
	}
	entries, err := ReadChunk(ctx, r.store, ref)
	if err != nil {
		return nil, err
	}
	r.cache.put(ref.Key, entries)
	return entries, nil
}

// collect reads chunks in order of first id until the page is full and no
// unread chunk can hold an id below the page's last. It returns the
// entries above afterID, sorted and without repeats (possibly more than
// limit), and how many chunks it read.
func (r *Reader) collect(ctx context.Context, refs []ChunkRef, afterID int64, limit int) ([]Entry, int, error) {
	var got []Entry
	for i, ref := range refs {
		if len(got) >= limit && ref.FirstID > got[limit-1].ID {
			return got, i, nil
		}
		entries, err := r.read(ctx, ref)
		if err != nil {
			return nil, 0, err
		}
		got = merge(got, entries, afterID)
	}
	return got, len(refs), nil
}

// merge adds the entries above afterID to got, keeping it sorted by id
// with each id once.
func merge(got, entries []Entry, afterID int64) []Entry {
	start, _ := slices.BinarySearchFunc(entries, afterID+1, func(e Entry, id int64) int { return cmp.Compare(e.ID, id) })
	rest := entries[start:]
	sorted := len(got) == 0 || len(rest) == 0 || rest[0].ID > got[len(got)-1].ID
	got = append(got, rest...)
	if !sorted {
		// Only overlapping chunks get here.
		slices.SortStableFunc(got, func(a, b Entry) int { return cmp.Compare(a.ID, b.ID) })
		got = slices.CompactFunc(got, func(a, b Entry) bool { return a.ID == b.ID })
	}
	return got
}

// Delete removes a bot's whole archive.
func Delete(ctx context.Context, s blob.Store, botID int64) error {
	return s.DeletePrefix(ctx, Prefix(botID))
}
