package account

import (
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
)

// Zone reads an IANA time zone name for field; "" is UTC. "Local" is
// refused: it would be the daemon's own zone, which the caller cannot know.
func Zone(v *domain.Validator, name, field string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	v.Check(err == nil && name != "Local", field, "%q is not an IANA time zone such as Europe/Paris", name)
	if err != nil || name == "Local" {
		return time.UTC
	}
	return loc
}

// Day reads a date (YYYY-MM-DD) as the midnight that starts it in loc;
// def when raw is empty or refused.
func Day(v *domain.Validator, raw, field string, loc *time.Location, def time.Time) time.Time {
	if raw == "" {
		return def
	}
	t, err := time.ParseInLocation("2006-01-02", raw, loc)
	v.Check(err == nil, field, "must be a date such as 2026-01-31")
	if err != nil {
		return def
	}
	return t
}

// StartOfDay is the midnight that starts t's day, in t's zone.
func StartOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
