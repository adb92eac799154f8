package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
)

// ErrCapacityUnavailable: every platform is booked for the window a
// scheduled bot asked for. The error is a *CapacityUnavailableError naming
// the earliest start that has room; callers answer 409.
var ErrCapacityUnavailable = errors.New("store: no capacity for the scheduled window")

// CapacityUnavailableError says when a window of the same length would fit.
type CapacityUnavailableError struct {
	// EarliestStart is the earliest window start with room on some
	// platform; nil when none ever has (no capacity at all).
	EarliestStart *time.Time
}

func (e *CapacityUnavailableError) Error() string {
	if e.EarliestStart == nil {
		return ErrCapacityUnavailable.Error()
	}
	return fmt.Sprintf("%s; earliest free start %s", ErrCapacityUnavailable, e.EarliestStart.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrCapacityUnavailable) hold.
func (e *CapacityUnavailableError) Is(target error) bool { return target == ErrCapacityUnavailable }

// ReserveParams asks CreateBot (or UpdateBot, rescheduling) to book
// capacity for a scheduled bot from Start to End on the first platform of
// Platforms with room for the whole window.
type ReserveParams struct {
	Platforms  []PlatformLimit
	Start, End time.Time
	// BestEffort keeps the bot, with no reservation, when no platform has
	// room; otherwise the write fails with a *CapacityUnavailableError.
	BestEffort bool
}

// Reservation is capacity booked for one scheduled bot.
type Reservation struct {
	BotID           int64
	Platform        string
	MeetingPlatform string
	StartsAt        time.Time
	EndsAt          time.Time
}

// RunningBot is a bot holding capacity, with when it is expected to end
// (its deploy start plus its maximum duration; nil when it has no deploy
// start yet, so no known end).
type RunningBot struct {
	BotID           int64
	Platform        string
	MeetingPlatform string
	ExpectedEnd     *time.Time
}

// Bookings is what holds a platform's capacity over time: reservations
// still counting and the bots running now.
type Bookings struct {
	Reservations []Reservation
	Running      []RunningBot
}

// Reservations reads the capacity booked for scheduled bots.
type Reservations interface {
	// GetReservation reads a bot's reservation while it counts (the bot
	// is SCHEDULED or QUEUED); ErrNotFound otherwise.
	GetReservation(ctx context.Context, botID int64) (Reservation, error)
	// Bookings reads the reservations that count and end after from and
	// start before to, and every bot holding capacity.
	Bookings(ctx context.Context, from, to time.Time) (Bookings, error)
	// ReservationsStarting counts, per platform and meeting platform, the
	// reservations that count and start from from to to: what a warm pool
	// keeps slots ready for.
	ReservationsStarting(ctx context.Context, from, to time.Time) (map[string]map[string]int, error)
}

// reservationCounts is the condition under which a reservation counts:
// its bot waits to be deployed. A deployed bot holds capacity itself; a
// cancelled or ended one holds none.
const reservationCounts = "EXISTS (SELECT 1 FROM bots b WHERE b.id = r.bot_id AND b.status IN ('SCHEDULED', 'QUEUED'))"

const reservationCols = "r.bot_id, r.platform, r.meeting_platform, r.starts_at, r.ends_at"

func scanReservation(r interface{ Scan(...any) error }, x *Reservation) error {
	return r.Scan(&x.BotID, &x.Platform, &x.MeetingPlatform, timeCol{&x.StartsAt}, timeCol{&x.EndsAt})
}

// GetReservation reads a bot's counting reservation.
func (s *db) GetReservation(ctx context.Context, botID int64) (Reservation, error) {
	var x Reservation
	err := s.get(ctx, "SELECT "+reservationCols+" FROM capacity_reservations r WHERE r.bot_id = ? AND "+reservationCounts,
		[]any{botID}, &x.BotID, &x.Platform, &x.MeetingPlatform, timeCol{&x.StartsAt}, timeCol{&x.EndsAt})
	return x, err
}

// Bookings reads the counting reservations overlapping from..to and the
// running bots.
func (s *db) Bookings(ctx context.Context, from, to time.Time) (Bookings, error) {
	var out Bookings
	var err error
	if out.Reservations, err = s.reservationsOverlapping(ctx, "", from, to, 0); err != nil {
		return out, err
	}
	out.Running, err = s.runningBots(ctx, 0)
	return out, err
}

// reservationsOverlapping lists the counting reservations ending after
// from and starting before to, of one platform when set, leaving out one
// bot's (0: none).
func (s *db) reservationsOverlapping(ctx context.Context, platform string, from, to time.Time, except int64) ([]Reservation, error) {
	q := "SELECT " + reservationCols + " FROM capacity_reservations r WHERE r.ends_at > ? AND r.starts_at < ? AND r.bot_id <> ? AND " + reservationCounts
	args := []any{s.d.at(from), s.d.at(to), except}
	if platform != "" {
		q, args = q+" AND r.platform = ?", append(args, platform)
	}
	var out []Reservation
	err := s.each(ctx, q+" ORDER BY r.starts_at, r.bot_id", args, func(r *sql.Rows) error {
		var x Reservation
		err := scanReservation(r, &x)
		out = append(out, x)
		return err
	})
	return out, err
}

// runningBots lists the bots holding capacity (but one, 0: none) with
// their expected ends.
func (s *db) runningBots(ctx context.Context, except int64) ([]RunningBot, error) {
	cond, args := statusIn("status", capacityStatuses)
	var out []RunningBot
	err := s.each(ctx, "SELECT id, deployment_platform, meeting_platform, deploy_started_at, max_duration_ms FROM bots WHERE "+cond+
		" AND deployment_platform IS NOT NULL AND id <> ? ORDER BY id", append(args, except), func(r *sql.Rows) error {
		var x RunningBot
		var started *time.Time
		var maxMS int64
		if err := r.Scan(&x.BotID, &x.Platform, &x.MeetingPlatform, nullTimeCol{&started}, &maxMS); err != nil {
			return err
		}
		if started != nil {
			end := started.Add(time.Duration(maxMS) * time.Millisecond)
			x.ExpectedEnd = &end
		}
		out = append(out, x)
		return nil
	})
	return out, err
}

// ReservationsStarting counts counting reservations starting in from..to.
func (s *db) ReservationsStarting(ctx context.Context, from, to time.Time) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	err := s.each(ctx, "SELECT r.platform, r.meeting_platform, count(*) FROM capacity_reservations r WHERE r.starts_at >= ? AND r.starts_at < ? AND "+
		reservationCounts+" GROUP BY r.platform, r.meeting_platform", []any{s.d.at(from), s.d.at(to)}, func(r *sql.Rows) error {
		var platform, meeting string
		var n int
		if err := r.Scan(&platform, &meeting, &n); err != nil {
			return err
		}
		if out[platform] == nil {
			out[platform] = map[string]int{}
		}
		out[platform][meeting] = n
		return nil
	})
	return out, err
}

// book reserves capacity for bot b, already written in this transaction,
// under the admission lock: on the first platform of p.Platforms whose
// whole window fits beside the other bookings. With no room it fails with
// a *CapacityUnavailableError, or books nothing when p.BestEffort.
func (s *db) book(ctx context.Context, b Bot, p ReserveParams, now time.Time) error {
	if err := s.lockAdmission(ctx); err != nil {
		return err
	}
	if _, err := s.exec(ctx, "DELETE FROM capacity_reservations WHERE bot_id = ?", b.ID); err != nil {
		return err
	}
	w := window{p.Start, p.End}
	ledgers, err := s.ledgers(ctx, p.Platforms, b.ID, p.Start, maxTime, now)
	if err != nil {
		return err
	}
	for _, pl := range p.Platforms {
		if ledgers[pl.Name].fits(w) {
			s.booked = nil
			_, err := s.exec(ctx, "INSERT INTO capacity_reservations (bot_id, platform, meeting_platform, starts_at, ends_at, created_at) "+
				"VALUES (?, ?, ?, ?, ?, ?)", b.ID, pl.Name, b.Meeting.Platform, s.d.at(p.Start), s.d.at(p.End), s.d.at(now))
			return err
		}
	}
	if p.BestEffort {
		return nil
	}
	e := &CapacityUnavailableError{}
	for _, pl := range p.Platforms {
		if at, ok := ledgers[pl.Name].earliest(w); ok && (e.EarliestStart == nil || at.Before(*e.EarliestStart)) {
			e.EarliestStart = &at
		}
	}
	return e
}

// ledgers reads, per platform, what holds its capacity from from to to,
// leaving out bot except. A running bot past its expected end counts as
// ending a second after now: it is about to be ended.
func (s *db) ledgers(ctx context.Context, platforms []PlatformLimit, except int64, from, to, now time.Time) (map[string]ledger, error) {
	res, err := s.reservationsOverlapping(ctx, "", from, to, except)
	if err != nil {
		return nil, err
	}
	running, err := s.runningBots(ctx, except)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ledger, len(platforms))
	for _, pl := range platforms {
		out[pl.Name] = ledger{limit: pl.Limit}
	}
	for _, r := range res {
		if l, ok := out[r.Platform]; ok {
			l.booked = append(l.booked, window{r.StartsAt, r.EndsAt})
			out[r.Platform] = l
		}
	}
	soon := now.Add(time.Second)
	for _, r := range running {
		if l, ok := out[r.Platform]; ok {
			end := r.ExpectedEnd
			if end != nil && end.Before(soon) {
				end = &soon
			}
			l.running = append(l.running, end)
			out[r.Platform] = l
		}
	}
	return out, nil
}

// maxTime bounds "no end" in range queries: far beyond any join time.
var maxTime = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// window is a span of time, start inclusive, end exclusive.
type window struct{ start, end time.Time }

// ledger is one platform's capacity over time: its limit, the expected
// ends of its running bots (nil: no known end), and its bookings.
type ledger struct {
	limit   int
	running []*time.Time
	booked  []window
}

// fits reports whether one more bot fits for the whole of w. The load only
// rises where a booking starts, so it is checked at w's start and at each
// booking start inside w.
func (l ledger) fits(w window) bool {
	if l.load(w.start) >= l.limit {
		return false
	}
	for _, b := range l.booked {
		if b.start.After(w.start) && b.start.Before(w.end) && l.load(b.start) >= l.limit {
			return false
		}
	}
	return true
}

// load counts the bots holding capacity at t.
func (l ledger) load(t time.Time) int {
	n := 0
	for _, end := range l.running {
		if end == nil || end.After(t) {
			n++
		}
	}
	for _, b := range l.booked {
		if !b.start.After(t) && b.end.After(t) {
			n++
		}
	}
	return n
}

// earliest finds the earliest start, not before w's, of a window as long
// as w that fits. The load only falls where something ends, so the
// earliest fitting start is w's own or one of those ends.
func (l ledger) earliest(w window) (time.Time, bool) {
	length := w.end.Sub(w.start)
	starts := []time.Time{w.start}
	for _, b := range l.booked {
		if b.end.After(w.start) {
			starts = append(starts, b.end)
		}
	}
	for _, end := range l.running {
		if end != nil && end.After(w.start) {
			starts = append(starts, *end)
		}
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	for _, at := range starts {
		if l.fits(window{at, at.Add(length)}) {
			return at, true
		}
	}
	return time.Time{}, false
}

// scheduleNew writes what CreateBot was asked to keep beside a new bot:
// its reservation and its waiting-room nudge time.
func (s *db) scheduleNew(ctx context.Context, b Bot, p NewBot) error {
	if p.LobbyNudgeAfter > 0 {
		if _, err := s.exec(ctx, "INSERT INTO bot_lobby (bot_id, nudge_after_ms) VALUES (?, ?)", b.ID, ms(p.LobbyNudgeAfter)); err != nil {
			return err
		}
	}
	if p.Reserve == nil {
		return nil
	}
	return s.book(ctx, b, *p.Reserve, p.Now)
}

// rebook moves a rescheduled bot's reservation: a new window is booked
// afresh (its old one no longer counts against it), and a patch that
// changes the window without asking for one drops it.
func (s *db) rebook(ctx context.Context, b Bot, p BotPatch) error {
	if p.Rebook != nil && b.Status == api.StatusScheduled {
		return s.book(ctx, b, *p.Rebook, p.Now)
	}
	if p.JoinAt == nil && p.MaxDuration == nil && p.Rebook == nil {
		return nil
	}
	_, err := s.exec(ctx, "DELETE FROM capacity_reservations WHERE bot_id = ?", b.ID)
	return err
}
