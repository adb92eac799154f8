package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

var chatTests = []namedTest{
	{"Templates", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		tm, err := s.CreateTemplate(t.Context(), store.Template{UserID: u.ID, Name: "hi", Messages: []string{"a", "b"}, CreatedAt: t0})
		ok(t, err)
		got, err := s.GetTemplate(t.Context(), u.ID, tm.ID)
		ok(t, err)
		if !reflect.DeepEqual(got.Messages, []string{"a", "b"}) {
			t.Fatalf("messages = %v", got.Messages)
		}
		_, err = s.GetTemplate(t.Context(), other.ID, tm.ID)
		wantErr(t, err, store.ErrNotFound)
		up, err := s.UpdateTemplate(t.Context(), store.Template{ID: tm.ID, UserID: u.ID, Name: "hey", Messages: []string{"c"}, UpdatedAt: t0.Add(time.Hour)})
		ok(t, err)
		eq(t, "name", up.Name, "hey")
		eqTime(t, "updated", &up.UpdatedAt, t0.Add(time.Hour))
		_, err = s.UpdateTemplate(t.Context(), store.Template{ID: tm.ID, UserID: other.ID, Name: "x"})
		wantErr(t, err, store.ErrNotFound)
		list, err := s.ListTemplates(t.Context(), u.ID, store.Page{})
		ok(t, err)
		eq(t, "list", len(list), 1)
		b := mkBot(t, s, u.ID)
		msgs, err := s.EnqueueChat(t.Context(), []store.ChatMessage{{BotID: b.ID, UserID: u.ID, TemplateID: &tm.ID, Text: "c", EnqueuedAt: t0}})
		ok(t, err)
		wantErr(t, s.DeleteTemplate(t.Context(), other.ID, tm.ID), store.ErrNotFound)
		ok(t, s.DeleteTemplate(t.Context(), u.ID, tm.ID))
		kept, err := s.ListChat(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "message kept", kept[0].ID, msgs[0].ID)
		if kept[0].TemplateID != nil {
			t.Fatal("template id not cleared")
		}
	}},
	{"Queue", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b, other := mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		_, err := s.DequeueChat(t.Context(), b.ID, t0)
		wantErr(t, err, store.ErrNotFound)
		in, err := s.EnqueueChat(t.Context(), []store.ChatMessage{
			{BotID: b.ID, UserID: u.ID, Text: "one", EnqueuedAt: t0},
			{BotID: b.ID, UserID: u.ID, Text: "two", EnqueuedAt: t0},
			{BotID: other.ID, UserID: u.ID, Text: "other", EnqueuedAt: t0},
		})
		ok(t, err)
		eq(t, "status", in[0].Status, store.ChatQueued)
		for _, want := range []string{"one", "two"} {
			m, err := s.DequeueChat(t.Context(), b.ID, t0.Add(time.Minute))
			ok(t, err)
			eq(t, "text", m.Text, want)
			eq(t, "status", m.Status, store.ChatSent)
			eqTime(t, "sent", m.SentAt, t0.Add(time.Minute))
		}
		_, err = s.DequeueChat(t.Context(), b.ID, t0)
		wantErr(t, err, store.ErrNotFound)
		all, err := s.ListChat(t.Context(), b.ID, store.Page{AfterID: in[0].ID})
		ok(t, err)
		eq(t, "after first", len(all), 1)
		_, err = s.EnqueueChat(t.Context(), []store.ChatMessage{{BotID: b.ID, UserID: u.ID, Text: "x", Status: "bogus", EnqueuedAt: t0}})
		wantErr(t, err, store.ErrConflict)
	}},
}
