package daemon_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// TestReservationRacePostgres: three daemons on one database take 150
// scheduled bots at once over HTTP for overlapping windows against a
// capacity of 3; the bookings never exceed it at any instant, and every
// refusal names an earliest free start.
func TestReservationRacePostgres(t *testing.T) {
	t.Parallel()
	cfg := storetest.PostgresConfig(t) // skips when no PostgreSQL is configured
	plat := quickBots(3)
	t.Cleanup(func() { _ = plat.Close() })
	var ds []*daemontest.Daemon
	for range 3 {
		ds = append(ds, daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, cfg), Platforms: []platforms.Platform{plat}}))
	}
	base := time.Now().UTC().Add(30 * time.Minute).Truncate(time.Second)
	var mu sync.Mutex
	var wg sync.WaitGroup
	accepted, refused := 0, 0
	sem := make(chan struct{}, 16)
	for i := range 150 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			join := base.Add(time.Duration(i%6) * 10 * time.Minute)
			_, err := ds[i%3].Admin.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL},
				JoinAt: &join, MaxDurationSeconds: int64(30+(i%4)*10) * 60})
			var ae *api.Error
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				accepted++
			case errors.As(err, &ae) && ae.Code == api.CodeCapacityUnavailable && ae.Problem.EarliestStart != nil:
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if accepted < 3 || accepted+refused != 150 {
		t.Fatalf("%d accepted, %d refused", accepted, refused)
	}
	b, err := ds[0].Store.Bookings(t.Context(), time.Now(), base.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Reservations) != accepted {
		t.Fatalf("%d bookings stored, %d accepted", len(b.Reservations), accepted)
	}
	for _, r := range b.Reservations {
		if n := bookedAt(b.Reservations, r.StartsAt); n > 3 {
			t.Fatalf("%d bookings at %v, capacity 3", n, r.StartsAt)
		}
	}
	t.Logf("%d accepted, %d refused", accepted, refused)
}

func bookedAt(rs []store.Reservation, at time.Time) int {
	n := 0
	for _, r := range rs {
		if !r.StartsAt.After(at) && r.EndsAt.After(at) {
			n++
		}
	}
	return n
}
