package httpapi

import (
	"net/http"
	"strconv"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Page sizes of the listings.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// pageFrom reads ?cursor= and ?limit=. The cursor is the id of the last row
// of the previous page; descending listings continue below it, ascending
// ones above it. Clients treat it as opaque.
func pageFrom(r *http.Request, descending bool) (store.Page, error) {
	v := &domain.Validator{}
	p := store.Page{Limit: DefaultLimit}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= MaxLimit, "limit", "must be a whole number from 1 to %d", MaxLimit)
		p.Limit = n
	}
	if s := r.URL.Query().Get("cursor"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		v.Check(err == nil && id > 0, "cursor", "is not a cursor this API returned")
		if descending {
			p.BeforeID = id
		} else {
			p.AfterID = id
		}
	}
	return p, v.Err()
}

// nextCursor is the cursor of the page after items, or "" on the last page.
func nextCursor[T any](items []T, limit int, id func(T) int64) string {
	if len(items) < limit || len(items) == 0 {
		return ""
	}
	return strconv.FormatInt(id(items[len(items)-1]), 10)
}
