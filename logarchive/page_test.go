package logarchive_test

import (
	"context"
	"errors"
	"testing"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/logarchive"
)

// archive writes entries as chunks of the given sizes, cycling through
// them.
func archive(t testing.TB, s blob.Store, botID int64, entries []Entry, sizes []int) {
	t.Helper()
	for i, n := 0, 0; i < len(entries); n++ {
		end := min(i+sizes[n%len(sizes)], len(entries))
		if _, err := logarchive.WriteChunk(t.Context(), s, botID, entries[i:end]); err != nil {
			t.Fatalf("WriteChunk %d-%d: %v", i, end, err)
		}
		i = end
	}
}

// pager is logarchive.Page or a Reader's Page.
type pager func(ctx context.Context, botID, afterID int64, limit int) (logarchive.PageResult, error)

// uncached pages through s with the package's Page.
func uncached(s blob.Store) pager {
	return func(ctx context.Context, botID, afterID int64, limit int) (logarchive.PageResult, error) {
		return logarchive.Page(ctx, s, botID, afterID, limit)
	}
}

// readAll pages through a bot's archive from afterID and returns what it
// saw, checking each page's shape on the way.
func readAll(t *testing.T, page pager, botID, afterID int64, limit int) []Entry {
	t.Helper()
	var all []Entry
	for pages := 0; ; pages++ {
		p, err := page(t.Context(), botID, afterID, limit)
		if err != nil {
			t.Fatalf("Page(after %d): %v", afterID, err)
		}
		if len(p.Entries) > limit || (p.More && len(p.Entries) != limit) {
			t.Fatalf("page after %d: %d entries, More %v, limit %d", afterID, len(p.Entries), p.More, limit)
		}
		all = append(all, p.Entries...)
		if !p.More {
			return all
		}
		if p.Next <= afterID {
			t.Fatalf("cursor did not advance: %d after %d", p.Next, afterID)
		}
		afterID = p.Next
		if pages > 100_000 {
			t.Fatal("paging does not end")
		}
	}
}

// checkSequence fails t unless got is exactly want's ids, in order.
func checkSequence(t *testing.T, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("read %d entries, want %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i].ID != want[i].ID {
			t.Fatalf("entry %d has id %d, want %d (a gap or a repeat)", i, got[i].ID, want[i].ID)
		}
	}
}

// TestPage_NothingSkipped pages 10,000 lines in pages of 37 across chunks
// of varied sizes: every line comes back once, in order.
func TestPage_NothingSkipped(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := b.open(t)
			entries := rows(7, 0, 10_000)
			archive(t, s, 7, entries, []int{1, 37, 36, 38, 500, 2, 999, 74, 1234, 3})
			archive(t, s, 8, rows(8, 0, 100), []int{50}) // another bot's archive
			cached := logarchive.NewReader(s, 5000)
			checkSequence(t, readAll(t, cached.Page, 7, 0, 37), entries)
			// From a cursor in the middle of a chunk, reading every chunk
			// afresh for every page.
			mid := entries[4321].ID
			checkSequence(t, readAll(t, uncached(s), 7, mid, 400), entries[4322:])
		})
	}
}

// TestPage_CursorBetweenIDs starts from ids that are no row's, as a
// cursor taken from the database's live rows may be.
func TestPage_CursorBetweenIDs(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	entries := rows(7, 0, 300) // ids with gaps
	archive(t, s, 7, entries, []int{64})
	for _, e := range entries[1:] {
		if e.ID-1 == entries[0].ID {
			continue
		}
		p, err := logarchive.Page(t.Context(), s, 7, e.ID-1, 5)
		if err != nil || len(p.Entries) == 0 || p.Entries[0].ID != e.ID {
			t.Fatalf("Page(after %d) starts at %+v, %v; want id %d", e.ID-1, p.Entries, err, e.ID)
		}
	}
	last := entries[len(entries)-1].ID
	p, err := logarchive.Page(t.Context(), s, 7, last, 5)
	if err != nil || len(p.Entries) != 0 || p.More || p.Next != last {
		t.Errorf("past the end: %+v, %v", p, err)
	}
}

// TestPage_OverlappingChunks archives rows twice in chunks cut
// differently, as an archiver restarted with a different batch size
// would, and still reads each row once.
func TestPage_OverlappingChunks(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	entries := rows(7, 0, 400)
	archive(t, s, 7, entries[:250], []int{100})
	archive(t, s, 7, entries[50:400], []int{120})
	r := logarchive.NewReader(s, 1000)
	for _, limit := range []int{1, 7, 37, 100, 400, 1000} {
		checkSequence(t, readAll(t, r.Page, 7, 0, limit), entries)
		if limit >= 37 {
			checkSequence(t, readAll(t, uncached(s), 7, 0, limit), entries)
		}
	}
}

func TestPage_Empty(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	p, err := logarchive.Page(t.Context(), s, 7, 0, 10)
	if err != nil || len(p.Entries) != 0 || p.More || p.Next != 0 {
		t.Errorf("empty archive: %+v, %v", p, err)
	}
}

func TestPage_Invalid(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	for _, limit := range []int{0, -1, logarchive.MaxPage + 1} {
		if _, err := logarchive.Page(t.Context(), s, 7, 0, limit); !errors.Is(err, logarchive.ErrInvalid) {
			t.Errorf("limit %d: %v", limit, err)
		}
	}
	if _, err := logarchive.Page(t.Context(), s, 7, -5, 10); !errors.Is(err, logarchive.ErrInvalid) {
		t.Errorf("negative cursor: %v", err)
	}
}

// TestPage_CorruptChunk surfaces a damaged chunk instead of skipping it.
func TestPage_CorruptChunk(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	archive(t, s, 7, rows(7, 0, 30), []int{10})
	refs, _ := logarchive.ListChunks(t.Context(), s, 7)
	if err := s.Put(t.Context(), refs[1].Key, nil, 0, logarchive.ContentType); err != nil {
		t.Fatal(err)
	}
	_, err := logarchive.Page(t.Context(), s, 7, 0, 30)
	if !errors.Is(err, logarchive.ErrCorrupt) {
		t.Errorf("Page over a corrupt chunk = %v, want ErrCorrupt", err)
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	s := openDir(t)
	archive(t, s, 7, rows(7, 0, 30), []int{10})
	archive(t, s, 70, rows(70, 0, 30), []int{10})
	if err := logarchive.Delete(t.Context(), s, 7); err != nil {
		t.Fatal(err)
	}
	if refs, _ := logarchive.ListChunks(t.Context(), s, 7); len(refs) != 0 {
		t.Errorf("bot 7 still has %d chunks", len(refs))
	}
	if refs, _ := logarchive.ListChunks(t.Context(), s, 70); len(refs) != 3 {
		t.Errorf("bot 70 has %d chunks, want its 3", len(refs))
	}
}
