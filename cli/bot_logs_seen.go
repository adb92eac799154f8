package cli

import "github.com/meeboter/meeboter/api"

// logSeen remembers the log lines already printed. A line reaches a
// follower twice by design (the listing read at connect and the stream
// overlap, so nothing falls between them) and in any order (a listing may
// end after lines the stream already delivered), so it remembers every
// line rather than the highest id. It matches on both keys a line has: the
// stored id, and the entry id the bot gave it, which the daemon keeps
// unique per bot and which a streamed line carries even when its stored id
// is not known yet.
type logSeen struct {
	ids     map[int64]bool
	entries map[string]bool
}

// add records e and reports whether it is new. A line with neither key
// cannot be told from another, so it always counts as new.
func (s *logSeen) add(e api.LogEntry) bool {
	if s.ids == nil {
		s.ids, s.entries = map[int64]bool{}, map[string]bool{}
	}
	seen := (e.ID != 0 && s.ids[e.ID]) || (e.EntryID != "" && s.entries[e.EntryID])
	// Record both keys even for a repeat: the first copy may have lacked
	// one of them.
	if e.ID != 0 {
		s.ids[e.ID] = true
	}
	if e.EntryID != "" {
		s.entries[e.EntryID] = true
	}
	return !seen
}
