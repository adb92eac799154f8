package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

// reservationRacers is how many bookings race in the reservation test.
const reservationRacers = 500

// testReservationRace books reservationRacers overlapping windows at once
// through the given stores (one per daemon) against a capacity of 3 on
// two platforms, and checks that at no instant more bots are booked on a
// platform than its limit, and that every refusal names an earliest free
// start no earlier than the window asked for.
func testReservationRace(t *testing.T, stores []store.Store) {
	s := stores[0]
	u := mkUser(t, s)
	pl := limits("k8s", 2, "aws", 1)
	base := t0.Add(time.Hour)
	var mu sync.Mutex
	booked, refused := 0, 0
	race(reservationRacers, func(i int) {
		// Windows of 30 to 90 minutes starting every 5 minutes over 4 hours.
		start := base.Add(time.Duration(i%48) * 5 * time.Minute)
		end := start.Add(time.Duration(30+(i%7)*10) * time.Minute)
		_, err := book(t, stores[i%len(stores)], u.ID, pl, start, end, false)
		var cu *store.CapacityUnavailableError
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			booked++
		case errors.As(err, &cu):
			refused++
			if cu.EarliestStart == nil || cu.EarliestStart.Before(start) {
				t.Errorf("refusal names %v for a window from %v", cu.EarliestStart, start)
			}
		default:
			t.Error(err)
		}
	})
	eq(t, "answered", booked+refused, reservationRacers)
	t.Logf("%d bookings held, %d refused", booked, refused)
	if booked < 3 {
		t.Fatalf("only %d bookings held", booked)
	}
	all, err := s.Bookings(t.Context(), t0, t0.Add(24*time.Hour))
	ok(t, err)
	eq(t, "stored bookings", len(all.Reservations), booked)
	for _, pl := range pl {
		for _, r := range all.Reservations {
			if n := loadAt(all.Reservations, pl.Name, r.StartsAt); n > pl.Limit {
				t.Fatalf("%s holds %d bookings at %v, limit %d", pl.Name, n, r.StartsAt, pl.Limit)
			}
		}
	}
}

// loadAt counts the platform's reservations covering t.
func loadAt(rs []store.Reservation, platform string, t time.Time) int {
	n := 0
	for _, r := range rs {
		if r.Platform == platform && !r.StartsAt.After(t) && r.EndsAt.After(t) {
			n++
		}
	}
	return n
}
