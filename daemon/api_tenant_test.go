package daemon_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

func TestAPIOtherUsersResourcesAreNotFound(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		// No capacity: bots created now stay QUEUED, so the queue has both
		// users' bots in it.
		d := startDaemon(t, open, daemon.Config{Limits: map[string]int{platforms.Local: 0}})
		ctx := t.Context()
		a, _ := member(t, d, "a@example.com")
		b, _ := member(t, d, "b@example.com")
		sched := scheduleBot(t, a, "a's scheduled")
		queued := createBot(t, a, api.CreateBotRequest{DisplayName: "a's queued", Metadata: map[string]string{"owner": "a"}})
		if queued.Status != api.StatusQueued {
			t.Fatalf("bot without capacity is %s", queued.Status)
		}
		if _, err := a.Bots().SendChat(ctx, queued.ID, "from a"); err != nil {
			t.Fatal(err)
		}
		tmpl, err := a.Chat().CreateTemplate(ctx, api.TemplateRequest{Name: "a's", Messages: []string{"a"}})
		if err != nil {
			t.Fatal(err)
		}
		aKey, err := a.Keys().Create(ctx, api.CreateKeyRequest{Name: "a's second"})
		if err != nil {
			t.Fatal(err)
		}
		bBot := createBot(t, b, api.CreateBotRequest{DisplayName: "b's queued"})
		bTmpl, err := b.Chat().CreateTemplate(ctx, api.TemplateRequest{Name: "b's", Messages: []string{"b"}})
		if err != nil {
			t.Fatal(err)
		}

		name, maxDur := "taken", int64(600)
		calls := map[string]func(id int64) error{
			"get bot": func(id int64) error { _, err := b.Bots().Get(ctx, id); return err },
			"update bot": func(id int64) error {
				_, err := b.Bots().Update(ctx, id, api.UpdateBotRequest{DisplayName: &name, MaxDurationSeconds: &maxDur})
				return err
			},
			"delete bot":       func(id int64) error { return b.Bots().Delete(ctx, id) },
			"cancel bot":       func(id int64) error { _, err := b.Bots().Cancel(ctx, id); return err },
			"leave bot":        func(id int64) error { _, err := b.Bots().Leave(ctx, id); return err },
			"set log level":    func(id int64) error { _, err := b.Bots().SetLogLevel(ctx, id, "TRACE"); return err },
			"list events":      func(id int64) error { _, err := b.Bots().Events(ctx, id, "", 0); return err },
			"list logs":        func(id int64) error { _, err := b.Bots().Logs(ctx, id, "", 0); return err },
			"list screenshots": func(id int64) error { _, err := b.Bots().Screenshots(ctx, id, "", 0); return err },
			"send chat":        func(id int64) error { _, err := b.Bots().SendChat(ctx, id, "from b"); return err },
			"list chat":        func(id int64) error { _, err := b.Bots().ChatHistory(ctx, id, "", 0); return err },
			"stream bot": func(id int64) error {
				return b.Stream(ctx, api.StreamOptions{BotID: id}, func(api.StreamEvent) error { return nil })
			},
		}
		for name, call := range calls {
			for _, id := range []int64{sched.ID, queued.ID} {
				if err := call(id); !isNotFound(err) {
					t.Errorf("%s of another user's bot %d: %v, want 404 not_found", name, id, err)
				}
			}
		}
		others := map[string]func() error{
			"get template": func() error { _, err := b.Chat().Template(ctx, tmpl.ID); return err },
			"update template": func() error {
				_, err := b.Chat().UpdateTemplate(ctx, tmpl.ID, api.TemplateRequest{Name: "x", Messages: []string{"x"}})
				return err
			},
			"delete template": func() error { return b.Chat().DeleteTemplate(ctx, tmpl.ID) },
			"send template":   func() error { _, err := b.Chat().SendTemplate(ctx, tmpl.ID, []int64{bBot.ID}); return err },
			"revoke key":      func() error { _, err := b.Keys().Revoke(ctx, aKey.ID); return err },
			"key logs":        func() error { _, err := b.Keys().Logs(ctx, aKey.ID, "", 0); return err },
		}
		for name, call := range others {
			if err := call(); !isNotFound(err) {
				t.Errorf("%s of another user: %v, want 404 not_found", name, err)
			}
		}

		bulk := map[string]func() (*api.BulkResult, error){
			"bulk cancel": func() (*api.BulkResult, error) { return b.Bots().BulkCancel(ctx, []int64{sched.ID, queued.ID}) },
			"bulk leave":  func() (*api.BulkResult, error) { return b.Bots().BulkLeave(ctx, []int64{sched.ID, queued.ID}) },
			"broadcast": func() (*api.BulkResult, error) {
				return b.Chat().Broadcast(ctx, api.BroadcastChatRequest{BotIDs: []int64{sched.ID, queued.ID}, Text: "from b"})
			},
			"send template": func() (*api.BulkResult, error) {
				return b.Chat().SendTemplate(ctx, bTmpl.ID, []int64{sched.ID, queued.ID})
			},
		}
		for name, call := range bulk {
			res, err := call()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			wantBulk(t, res, nil, map[int64]string{sched.ID: api.CodeNotFound, queued.ID: api.CodeNotFound})
		}

		for _, id := range []int64{sched.ID, queued.ID} {
			got, err := a.Bots().Get(ctx, id)
			if err != nil {
				t.Fatalf("the owner lost bot %d: %v", id, err)
			}
			if got.Status.Terminal() || got.DisplayName == name || got.MaxDurationSeconds == maxDur || got.LogLevel != "INFO" {
				t.Errorf("another user changed bot %d: %+v", id, got)
			}
		}
		if h, err := a.Bots().ChatHistory(ctx, queued.ID, "", 0); err != nil || len(h.Items) != 1 || h.Items[0].Text != "from a" {
			t.Errorf("another user changed the chat: %+v, %v", h, err)
		}
		if got, err := a.Chat().Template(ctx, tmpl.ID); err != nil || got.Name != "a's" {
			t.Errorf("another user changed the template: %+v, %v", got, err)
		}
		if me, err := d.Client(t, aKey.Secret).Users().Me(ctx); err != nil || me.Email != "a@example.com" {
			t.Errorf("another user revoked the key: %v", err)
		}

		if list, err := b.Bots().List(ctx, api.BotListOptions{}); err != nil || !slices.Equal(botIDs(list.Items), []int64{bBot.ID}) {
			t.Errorf("b's bots: %v, %v", botIDs(list.Items), err)
		}
		if list, err := b.Bots().List(ctx, api.BotListOptions{Metadata: map[string]string{"owner": "a"}}); err != nil || len(list.Items) != 0 {
			t.Errorf("b's bots filtered by a's metadata: %v, %v", botIDs(list.Items), err)
		}
		if list, err := b.Chat().Templates(ctx, "", 0); err != nil || len(list.Items) != 1 || list.Items[0].ID != bTmpl.ID {
			t.Errorf("b's templates: %+v, %v", list, err)
		}
		bKeys, err := b.Keys().List(ctx, "", 0)
		if err != nil || len(bKeys.Items) != 1 || bKeys.Items[0].ID == aKey.ID {
			t.Errorf("b's keys: %+v, %v", bKeys, err)
		}
		if logs, err := b.Keys().Logs(ctx, 0, "", 500); err == nil {
			for _, l := range logs.Items {
				if l.KeyID != bKeys.Items[0].ID {
					t.Errorf("b's request log holds %+v", l)
				}
			}
		} else {
			t.Error(err)
		}
		if q, err := b.Queue(ctx); err != nil || len(q) != 1 || q[0].BotID != bBot.ID || q[0].Position != 2 {
			t.Errorf("b's queue %+v, %v, want its own bot at 2", q, err)
		}
		if pool, err := b.Pool(ctx); err != nil || pool.Queued != 2 || pool.StatusCounts[api.StatusQueued] != 1 || pool.StatusCounts[api.StatusScheduled] != 0 {
			t.Errorf("b's pool %+v, %v, want the shared queue and b's own counts", pool, err)
		}
	})
}

func isNotFound(err error) bool {
	var ae *api.Error
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound && ae.Code == api.CodeNotFound
}
