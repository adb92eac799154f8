package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// benchBookings makes n scheduled bots, each booked for an hour, their
// windows spread over the next n minutes, on a platform with room for all.
func benchBookings(b *testing.B, s store.Store, userID int64, pl []store.PlatformLimit, n int, now time.Time) {
	b.Helper()
	for i := range n {
		start := now.Add(time.Duration(i) * time.Minute)
		join := start.Add(2 * time.Minute)
		_, err := s.CreateBot(context.Background(), store.NewBot{Now: now,
			Bot:     store.Bot{UserID: userID, Status: api.StatusScheduled, JoinAt: &join, Meeting: store.Meeting{Platform: "zoom"}},
			Reserve: &store.ReserveParams{Platforms: pl, Start: start, End: start.Add(time.Hour)}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReserve measures creating a scheduled bot with its booking
// while 200 bookings already exist: the create transaction, the admission
// lock, reading the bookings and running bots, and the load check.
func BenchmarkReserve(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			now := time.Now()
			u, err := s.CreateUser(context.Background(), store.NewUser{Email: "bench@example.test", Now: now})
			if err != nil {
				b.Fatal(err)
			}
			pl := []store.PlatformLimit{{Name: "k8s", Limit: 1 << 20}}
			benchBookings(b, s, u.ID, pl, 200, now)
			for b.Loop() {
				benchBookings(b, s, u.ID, pl, 1, now.Add(30*time.Minute))
			}
		})
	}
}

// BenchmarkAdmitAmongReservations is BenchmarkAdmit with 200 bookings
// overlapping every admitted bot's window and a routing policy, so each
// admission also checks the bookings and writes its ROUTED event.
func BenchmarkAdmitAmongReservations(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			bots := benchBots(b, s, 200)
			now := time.Now()
			pl := []store.PlatformLimit{{Name: "k8s", Limit: 1 << 20}}
			benchBookings(b, s, bots[0].UserID, pl, 200, now)
			i := 0
			for b.Loop() {
				_, err := s.Admit(context.Background(), store.AdmitParams{BotID: bots[i%len(bots)].ID, Platforms: pl, Now: time.Now(),
					Routing: store.Routing{Policy: api.PolicyPriority}})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
