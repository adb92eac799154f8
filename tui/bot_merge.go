package tui

import (
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

// ident is how merge tells records apart: the stored id when a record has
// one, and a content key for a record that has none, which matches a copy
// of it with or without an id.
type ident struct {
	id      int64
	content string
}

// eventIdent keys an event by its stored id. A daemon that streams events
// before storing them sends id 0; such an event matches by type, time (at
// the store's microsecond precision) and data. Two stored events never
// merge, even when those are equal: two participants can join in the
// same microsecond.
func eventIdent(e api.Event) ident {
	return ident{id: e.ID, content: e.Type + "@" + e.Time.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano) + " " + string(e.Data)}
}

// logIdent keys a log line by the entry id the bot gave it, which the
// daemon keeps unique per bot and both the read and the stream carry;
// lines without one fall back to time and text.
func logIdent(l api.LogEntry) ident {
	content := l.EntryID
	if content == "" {
		content = l.Time.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano) + " " + l.Message
	}
	return ident{id: l.ID, content: content}
}

// merge adds the records of add that have not been seen, orders by time
// (stable, so equal times keep arrival order) and keeps the last keep.
// Reads and streams overlap on purpose, so nothing falls between them,
// which makes copies normal. A copy with an id gives its id to an id-less
// copy already held.
func merge[T any](have, add []T, key func(T) ident, setID func(*T, int64), at func(T) time.Time, keep int) []T {
	ids := map[int64]bool{}
	contents := map[string]bool{}
	idless := map[string]int{} // content of a record held without an id -> its index
	note := func(i int, k ident) {
		contents[k.content] = true
		if k.id != 0 {
			ids[k.id] = true
		} else {
			idless[k.content] = i
		}
	}
	for i, h := range have {
		note(i, key(h))
	}
	for _, a := range add {
		k := key(a)
		i, heldIdless := idless[k.content]
		switch {
		case k.id != 0 && ids[k.id]:
		case k.id != 0 && heldIdless:
			setID(&have[i], k.id)
			delete(idless, k.content)
			ids[k.id] = true
		case k.id == 0 && contents[k.content]:
		default:
			have = append(have, a)
			note(len(have)-1, k)
		}
	}
	slices.SortStableFunc(have, func(a, b T) int { return at(a).Compare(at(b)) })
	return lastN(have, keep)
}
