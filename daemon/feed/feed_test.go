package feed_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// bundle is a running hub over a fresh SQLite store, with two users.
type bundle struct {
	hub  *feed.Hub
	st   store.Store
	a, b store.User
}

func setup(t *testing.T) *bundle {
	t.Helper()
	st := storetest.OpenSQLite(t)
	hub := feed.New(feed.Config{Poll: 10 * time.Millisecond, Heartbeats: time.Hour}, st, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		hub.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	u := func(email string) store.User {
		x, err := st.CreateUser(t.Context(), store.NewUser{Email: email, Role: store.RoleMember, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	return &bundle{hub: hub, st: st, a: u("a@example.com"), b: u("b@example.com")}
}

func (b *bundle) bot(t *testing.T, u store.User) store.Bot {
	t.Helper()
	x, err := b.st.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled}, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func (b *bundle) end(t *testing.T, id int64) {
	t.Helper()
	if _, err := b.st.Transition(t.Context(), store.TransitionParams{BotID: id, To: api.StatusDone, Reason: api.ReasonCancelled, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	b.hub.Kick()
}

func (b *bundle) subscribe(t *testing.T, s *feed.Subscription) *feed.Subscription {
	t.Helper()
	if err := b.hub.Subscribe(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.hub.Unsubscribe(s) })
	return s
}

func receive(t *testing.T, s *feed.Subscription) feed.Message {
	t.Helper()
	select {
	case m, ok := <-s.C:
		if !ok {
			t.Fatal("the subscription was closed")
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message")
	}
	return feed.Message{}
}

// TestHubOwnUsersChanges checks a subscriber gets its user's changes after
// it subscribed, in order, and nobody else's.
func TestHubOwnUsersChanges(t *testing.T) {
	t.Parallel()
	b := setup(t)
	before := b.bot(t, b.a)
	sub := b.subscribe(t, &feed.Subscription{UserID: b.a.ID})
	theirs := b.bot(t, b.b)
	b.end(t, theirs.ID)
	mine := b.bot(t, b.a)
	b.end(t, mine.ID)
	b.end(t, before.ID)
	var got []string
	for len(got) < 3 {
		m := receive(t, sub)
		if m.Seq <= sub.From {
			t.Fatalf("message of change %d, not after %d", m.Seq, sub.From)
		}
		switch {
		case m.Event.Bot != nil:
			got = append(got, fmt.Sprintf("bot %d %s", m.Event.Bot.ID, m.Event.Bot.Status))
		case m.Event.Event != nil:
			got = append(got, fmt.Sprintf("event %d", m.Event.Event.BotID))
		}
	}
	want := []string{fmt.Sprintf("bot %d SCHEDULED", mine.ID), fmt.Sprintf("bot %d DONE", mine.ID), fmt.Sprintf("bot %d DONE", before.ID)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v, and nothing of user %d", got, want, b.b.ID)
	}
	select {
	case m := <-sub.C:
		t.Fatalf("an extra message %+v", m)
	default:
	}
}

// TestHubReplay checks what a reconnecting client can be sent: the changes
// it missed, or a reset once they are gone or the id is unknown.
func TestHubReplay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	x := b.bot(t, b.a)
	head, _ := b.st.ChangeBounds(t.Context())
	b.end(t, x.ID)
	sub := b.subscribe(t, &feed.Subscription{UserID: b.a.ID, BotID: x.ID})
	msgs, reset, err := b.hub.Replay(t.Context(), sub, head.Newest)
	if err != nil || reset || len(msgs) != 1 || msgs[0].Event.Bot.Status != api.StatusDone || !msgs[0].Last {
		t.Fatalf("replay %+v, reset %v, %v; want the DONE change", msgs, reset, err)
	}
	if _, reset, _ := b.hub.Replay(t.Context(), sub, sub.From+100); !reset {
		t.Fatal("an id from the future was replayed")
	}
	if _, err := b.st.PurgeChanges(t.Context(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, reset, _ := b.hub.Replay(t.Context(), sub, head.Newest); !reset {
		t.Fatal("purged changes were replayed")
	}
	if msgs, reset, _ := b.hub.Replay(t.Context(), sub, sub.From); reset || len(msgs) != 0 {
		t.Fatal("a client up to date was reset or sent something")
	}
}

// TestHubDropsSlowSubscriber overfills a subscriber that never reads: it
// is dropped (its channel closed), and the hub goes on.
func TestHubDropsSlowSubscriber(t *testing.T) {
	t.Parallel()
	b := setup(t)
	x := b.bot(t, b.a)
	slow := b.subscribe(t, &feed.Subscription{UserID: b.a.ID, BotID: x.ID})
	for batch := range 3 {
		lines := make([]store.LogEntry, 500)
		for i := range lines {
			lines[i] = store.LogEntry{BotID: x.ID, EntryID: fmt.Sprint(batch, "-", i), Time: time.Now(), Level: "INFO", Message: "m"}
		}
		if err := b.st.InsertLogs(t.Context(), lines); err != nil {
			t.Fatal(err)
		}
		b.hub.Kick()
	}
	// Never read: once the hub has delivered more than the buffer holds,
	// it has dropped the subscriber.
	deadline := time.Now().Add(10 * time.Second)
	for b.hub.Subscribers() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the slow subscriber was never dropped")
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, not waiting out a race
	}
	n := 0
	for range slow.C {
		n++
	}
	if n > 1024 {
		t.Fatalf("%d messages were buffered, more than the buffer holds", n)
	}
}
