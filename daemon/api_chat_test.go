package daemon_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPIChat(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		running := callBot(t, d.Admin)
		ended := endedBot(t, d.Admin)

		r := send(t, d, d.AdminKey, http.MethodPost, botURL(running.ID, "chat"), `{"text":"hello"}`)
		r.wantStatus(t, http.StatusCreated)
		var m api.ChatMessage
		r.decode(t, &m)
		if m.BotID != running.ID || m.Text != "hello" || m.Status != "queued" || m.ID == 0 {
			t.Errorf("queued message %+v", m)
		}
		_, err := d.Admin.Bots().SendChat(ctx, ended.ID, "too late")
		wantError(t, err, http.StatusConflict, api.CodeConflict)

		res, err := d.Admin.Chat().Broadcast(ctx, api.BroadcastChatRequest{BotIDs: []int64{running.ID, ended.ID, missingID}, Text: "to all"})
		if err != nil {
			t.Fatal(err)
		}
		wantBulk(t, res, []int64{running.ID}, map[int64]string{ended.ID: api.CodeConflict, missingID: api.CodeNotFound})

		eventually(t, "the bot to post both messages", func() bool {
			h, err := d.Admin.Bots().ChatHistory(ctx, running.ID, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			sent := 0
			for _, m := range h.Items {
				if m.Status == "sent" && m.SentAt != nil {
					sent++
				}
			}
			return len(h.Items) == 2 && h.Items[0].Text == "hello" && h.Items[1].Text == "to all" && sent == 2
		})
	})
}

func TestAPIChatTemplates(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		chat := d.Admin.Chat()
		r := send(t, d, d.AdminKey, http.MethodPost, "/v1/chat/templates", `{"name":"greet","messages":["hi","hello"]}`)
		r.wantStatus(t, http.StatusCreated)
		var tmpl api.Template
		r.decode(t, &tmpl)
		if tmpl.ID == 0 || tmpl.Name != "greet" || len(tmpl.Messages) != 2 {
			t.Fatalf("created template %+v", tmpl)
		}
		second, err := chat.CreateTemplate(ctx, api.TemplateRequest{Name: "bye", Messages: []string{"bye"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := chat.Template(ctx, tmpl.ID)
		if err != nil || got.Name != "greet" || got.Messages[1] != "hello" {
			t.Fatalf("get template: %+v, %v", got, err)
		}
		if list, err := chat.Templates(ctx, "", 0); err != nil || len(list.Items) != 2 || list.NextCursor != "" {
			t.Fatalf("list templates: %+v, %v", list, err)
		}
		if _, err := chat.Template(ctx, second.ID); err != nil {
			t.Fatal(err)
		}

		up, err := chat.UpdateTemplate(ctx, tmpl.ID, api.TemplateRequest{Name: "greeting", Messages: []string{"good day"}})
		if err != nil || up.Name != "greeting" || len(up.Messages) != 1 || up.Messages[0] != "good day" {
			t.Fatalf("update template: %+v, %v", up, err)
		}
		if got, _ := chat.Template(ctx, tmpl.ID); got.Name != "greeting" {
			t.Errorf("update not stored: %+v", got)
		}

		bot := scheduleBot(t, d.Admin, "listener")
		res, err := chat.SendTemplate(ctx, tmpl.ID, []int64{bot.ID, missingID})
		if err != nil {
			t.Fatal(err)
		}
		wantBulk(t, res, []int64{bot.ID}, map[int64]string{missingID: api.CodeNotFound})
		h, err := d.Admin.Bots().ChatHistory(ctx, bot.ID, "", 0)
		if err != nil || len(h.Items) != 1 || h.Items[0].Text != "good day" || h.Items[0].TemplateID == nil || *h.Items[0].TemplateID != tmpl.ID {
			t.Fatalf("chat after sending the template: %+v, %v", h, err)
		}

		send(t, d, d.AdminKey, http.MethodDelete, "/v1/chat/templates/"+itoa(tmpl.ID), "").wantStatus(t, http.StatusNoContent)
		_, err = chat.Template(ctx, tmpl.ID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
		_, err = chat.SendTemplate(context.Background(), tmpl.ID, []int64{bot.ID})
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
	})
}

// The listing is documented newest first, like every other descending
// listing, and its cursor must move on.
func TestAPIListTemplatesPages(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		var want []int64
		for _, name := range []string{"a", "b", "c"} {
			tm, err := d.Admin.Chat().CreateTemplate(ctx, api.TemplateRequest{Name: name, Messages: []string{name}})
			if err != nil {
				t.Fatal(err)
			}
			want = append([]int64{tm.ID}, want...)
		}
		var got []int64
		cursor := ""
		for range len(want) + 1 {
			page, err := d.Admin.Chat().Templates(ctx, cursor, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, tm := range page.Items {
				got = append(got, tm.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages of 1 hold %v, want %v newest first", got, want)
		}
	})
}
