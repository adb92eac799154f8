package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

// Routing says how admission orders the platforms with room for a bot.
type Routing struct {
	// Policy is api.PolicyPriority, PolicyCheapest or PolicyFastest;
	// empty keeps priority order and records no ROUTED event.
	Policy string
	// Latency is the observed median time from admission to JOINING_CALL,
	// by platform, then meeting platform; PolicyFastest orders by it.
	Latency map[string]map[string]time.Duration
}

// route is how admission tries the platforms for one bot.
type route struct {
	explain  bool // record a ROUTED event
	policy   string
	order    []PlatformLimit // in the order to try
	blocked  []string        // reservations leave no room for the bot's window
	reserved string          // the platform the bot holds a reservation on
	cands    []api.RouteCandidate
}

// routeFor orders the platforms for bot b by the policy (the platform it
// holds a reservation on first) and finds those where reservations of
// other scheduled bots leave no room for its window, now to now plus its
// maximum duration. It runs under the admission lock.
func (s *db) routeFor(ctx context.Context, r Routing, platforms []PlatformLimit, used map[string]int, b Bot, now time.Time) (route, error) {
	rt := route{explain: r.Policy != "", policy: cmp.Or(r.Policy, api.PolicyPriority), order: r.Order(platforms, b.Meeting.Platform)}
	w := window{now, now.Add(max(b.MaxDuration, time.Second))}
	own, others, err := s.reservationsFor(ctx, b.ID, w)
	if err != nil {
		return rt, err
	}
	if own != nil {
		rt.reserved = own.Platform
		slices.SortStableFunc(rt.order, func(x, y PlatformLimit) int {
			return boolRank(x.Name != own.Platform) - boolRank(y.Name != own.Platform)
		})
	}
	if rt.blocked, err = s.reservedOut(ctx, rt.order, rt.reserved, b.ID, w, others, now); err != nil {
		return rt, err
	}
	for _, pl := range rt.order {
		c := api.RouteCandidate{Platform: pl.Name, CostPerHour: pl.CostPerHour, Free: max(0, pl.Limit-used[pl.Name]),
			ReservedOut: slices.Contains(rt.blocked, pl.Name)}
		if d, ok := r.Latency[pl.Name][b.Meeting.Platform]; ok {
			sec := d.Seconds()
			c.LatencySeconds = &sec
		}
		rt.cands = append(rt.cands, c)
	}
	return rt, nil
}

// anyReservations reports whether any reservation is stored, read once
// per transaction (a booking in it reads again): the admissions of a
// group of creates, and most admissions, then read none. Bookings take
// the admission lock, which an admission holds: none appears meanwhile.
func (s *db) anyReservations(ctx context.Context) (bool, error) {
	if s.booked != nil {
		return *s.booked, nil
	}
	var some bool
	err := s.get(ctx, "SELECT EXISTS (SELECT 1 FROM capacity_reservations)", nil, &some)
	if err == nil && s.inTx {
		s.booked = &some
	}
	return some, err
}

// reservationsFor reads, in one query, the bot's own counting
// reservation (nil: none) and the other bots' overlapping its window w.
func (s *db) reservationsFor(ctx context.Context, botID int64, w window) (*Reservation, []Reservation, error) {
	if some, err := s.anyReservations(ctx); err != nil || !some {
		return nil, nil, err
	}
	var own *Reservation
	var others []Reservation
	err := s.each(ctx, "SELECT "+reservationCols+" FROM capacity_reservations r WHERE (r.bot_id = ? OR (r.ends_at > ? AND r.starts_at < ?)) AND "+
		reservationCounts+" ORDER BY r.starts_at, r.bot_id", []any{botID, s.d.at(w.start), s.d.at(w.end)}, func(r *sql.Rows) error {
		var x Reservation
		if err := scanReservation(r, &x); err != nil {
			return err
		}
		if x.BotID == botID {
			own = &x
		} else {
			others = append(others, x)
		}
		return nil
	})
	return own, others, err
}

// reservedOut lists the platforms (but the one the bot holds a
// reservation on) where the bot's window w does not fit beside the other
// bots' reservations overlapping it. With none, the common case, it reads
// nothing.
func (s *db) reservedOut(ctx context.Context, platforms []PlatformLimit, own string, botID int64, w window, overlapping []Reservation, now time.Time) ([]string, error) {
	if len(overlapping) == 0 {
		return nil, nil
	}
	ledgers, err := s.ledgers(ctx, platforms, botID, w.start, w.end, now)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, pl := range platforms {
		if pl.Name != own && !ledgers[pl.Name].fits(w) {
			out = append(out, pl.Name)
		}
	}
	return out, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Order orders the platforms by the policy for a bot of the meeting
// platform; ties keep priority order.
func (r Routing) Order(platforms []PlatformLimit, meeting string) []PlatformLimit {
	out := slices.Clone(platforms)
	switch r.Policy {
	case api.PolicyCheapest:
		slices.SortStableFunc(out, func(x, y PlatformLimit) int { return cmp.Compare(x.CostPerHour, y.CostPerHour) })
	case api.PolicyFastest:
		slices.SortStableFunc(out, func(x, y PlatformLimit) int {
			dx, okx := r.Latency[x.Name][meeting]
			dy, oky := r.Latency[y.Name][meeting]
			if okx != oky {
				return boolRank(!okx) - boolRank(!oky)
			}
			return cmp.Compare(dx, dy)
		})
	}
	return out
}

// routeEvent is the ROUTED event of an admitted bot: every candidate and
// why the chosen one won. Admissions with no policy (store tests, tools)
// record none (nil).
func routeEvent(botID int64, rt route, chosen string, now time.Time) (*Event, error) {
	if !rt.explain {
		return nil, nil
	}
	ev := api.RoutedEvent{Policy: rt.policy, Candidates: rt.cands, Chosen: chosen, Reason: rt.reason(chosen)}
	if ev.Candidates == nil {
		ev.Candidates = []api.RouteCandidate{}
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return &Event{BotID: botID, Type: api.EventRouted, Time: now, CreatedAt: now, Data: data}, nil
}

// reason says in a sentence why admission chose the platform.
func (rt route) reason(chosen string) string {
	var c api.RouteCandidate
	for _, x := range rt.cands {
		if x.Platform == chosen {
			c = x
		}
	}
	skipped := ""
	for _, x := range rt.cands {
		if x.Platform == chosen {
			break
		}
		switch {
		case x.ReservedOut:
			skipped += fmt.Sprintf("; %s is reserved for scheduled bots", x.Platform)
		case x.Free == 0:
			skipped += fmt.Sprintf("; %s is full", x.Platform)
		default:
			skipped += fmt.Sprintf("; %s was passed over", x.Platform)
		}
	}
	switch {
	case chosen == rt.reserved:
		return fmt.Sprintf("%s holds this bot's reservation", chosen) + skipped
	case rt.policy == api.PolicyCheapest:
		return fmt.Sprintf("cheapest with room: %s at %g per bot-hour", chosen, c.CostPerHour) + skipped
	case rt.policy == api.PolicyFastest && c.LatencySeconds != nil:
		return fmt.Sprintf("fastest with room: %s joins in %.0fs (median)", chosen, *c.LatencySeconds) + skipped
	case rt.policy == api.PolicyFastest:
		return fmt.Sprintf("no faster platform with room; %s is not yet observed", chosen) + skipped
	}
	return fmt.Sprintf("first in priority order with room: %s", chosen) + skipped
}
