package daemon

import (
	"net/http"
	"strconv"

	"github.com/meeboter/meeboter/store"
)

const (
	defaultLimit = 50
	maxLimit     = 500
)

// pageFrom reads ?cursor= and ?limit=. The cursor is the id of the last row
// of the previous page; descending listings continue below it, ascending
// ones above it. Clients treat it as opaque.
func pageFrom(r *http.Request, descending bool) (store.Page, error) {
	v := &validator{}
	p := store.Page{Limit: defaultLimit}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		v.check(err == nil && n >= 1 && n <= maxLimit, "limit", "must be a whole number from 1 to %d", maxLimit)
		p.Limit = n
	}
	if s := r.URL.Query().Get("cursor"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		v.check(err == nil && id > 0, "cursor", "is not a cursor this API returned")
		if descending {
			p.BeforeID = id
		} else {
			p.AfterID = id
		}
	}
	return p, v.err()
}

// nextCursor is the cursor of the page after items, or "" on the last page.
func nextCursor[T any](items []T, limit int, id func(T) int64) string {
	if len(items) < limit || len(items) == 0 {
		return ""
	}
	return strconv.FormatInt(id(items[len(items)-1]), 10)
}
