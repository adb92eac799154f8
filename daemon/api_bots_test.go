package daemon_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/store"
)

func TestAPICreateBot(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		short := map[string]string{"sandbox.call-ends-after": "100ms"}
		for url, platform := range map[string]string{meetURL: api.MeetingGoogleMeet, teamsURL: api.MeetingMicrosoftTeams, zoomURL: api.MeetingZoom} {
			r := send(t, d, d.AdminKey, http.MethodPost, "/v1/bots", `{"meeting":{"meetingUrl":"`+url+`"},"metadata":{"sandbox.call-ends-after":"100ms"}}`)
			r.wantStatus(t, http.StatusCreated)
			var b api.Bot
			r.decode(t, &b)
			if b.Status != api.StatusDeploying || b.Meeting.Platform != platform || b.ID == 0 {
				t.Errorf("%s: created %s on %q, want DEPLOYING on %s", url, b.Status, b.Meeting.Platform, platform)
			}
		}

		joinAt := fromNow(time.Hour)
		b := createBot(t, d.Admin, api.CreateBotRequest{DisplayName: "later", JoinAt: joinAt, Metadata: short, Priority: 3, MaxDurationSeconds: 600})
		if b.Status != api.StatusScheduled || b.JoinAt == nil || !b.JoinAt.Equal(*joinAt) {
			t.Errorf("bot joining in an hour is %s at %v, want SCHEDULED at %v", b.Status, b.JoinAt, joinAt)
		}
		if b.DisplayName != "later" || b.Priority != 3 || b.MaxDurationSeconds != 600 || b.Metadata["sandbox.call-ends-after"] != "100ms" || b.LogLevel != "INFO" {
			t.Errorf("created bot lost fields: %+v", b)
		}
		got, err := d.Admin.Bots().Get(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != b.ID || got.Status != api.StatusScheduled || got.DisplayName != "later" || got.Meeting.Platform != api.MeetingGoogleMeet {
			t.Errorf("get returned %+v", got)
		}

		soon := createBot(t, d.Admin, api.CreateBotRequest{JoinAt: fromNow(30 * time.Second), Metadata: short})
		if soon.Status != api.StatusDeploying {
			t.Errorf("bot joining within the schedule lead is %s, want DEPLOYING", soon.Status)
		}
	})
}

func TestAPIUpdateBot(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		b := scheduleBot(t, d.Admin, "before")
		name, maxDur := "after", int64(900)
		later := fromNow(2 * time.Hour)
		up, err := d.Admin.Bots().Update(ctx, b.ID, api.UpdateBotRequest{DisplayName: &name, MaxDurationSeconds: &maxDur, JoinAt: later, Metadata: map[string]string{"team": "blue"}})
		if err != nil {
			t.Fatal(err)
		}
		if up.Status != api.StatusScheduled || up.DisplayName != name || up.MaxDurationSeconds != maxDur || !up.JoinAt.Equal(*later) || up.Metadata["team"] != "blue" {
			t.Fatalf("updated bot is %+v", up)
		}
		got, err := d.Admin.Bots().Get(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DisplayName != name || got.MaxDurationSeconds != maxDur || got.Metadata["team"] != "blue" {
			t.Fatalf("update not stored: %+v", got)
		}

		now, err := d.Admin.Bots().Update(ctx, b.ID, api.UpdateBotRequest{JoinNow: true, Metadata: map[string]string{"sandbox.call-ends-after": "100ms"}})
		if err != nil {
			t.Fatal(err)
		}
		if now.Status != api.StatusDeploying {
			t.Fatalf("bot told to join now is %s, want DEPLOYING", now.Status)
		}
		_, err = d.Admin.Bots().Update(ctx, b.ID, api.UpdateBotRequest{DisplayName: &name})
		wantError(t, err, http.StatusConflict, api.CodeConflict)
	})
}

func TestAPIDeleteBot(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		ended := endedBot(t, d.Admin)
		send(t, d, d.AdminKey, http.MethodDelete, botURL(ended.ID), "").wantStatus(t, http.StatusNoContent)
		_, err := d.Admin.Bots().Get(ctx, ended.ID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)
		wantError(t, d.Admin.Bots().Delete(ctx, ended.ID), http.StatusNotFound, api.CodeNotFound)

		sched := scheduleBot(t, d.Admin, "not started")
		if err := d.Admin.Bots().Delete(ctx, sched.ID); err != nil {
			t.Fatalf("delete a scheduled bot: %v", err)
		}
		_, err = d.Admin.Bots().Get(ctx, sched.ID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)

		running := callBot(t, d.Admin)
		wantError(t, d.Admin.Bots().Delete(ctx, running.ID), http.StatusConflict, api.CodeConflict)
		if got, err := d.Admin.Bots().Get(ctx, running.ID); err != nil || got.Status != api.StatusInCall {
			t.Fatalf("running bot after refused delete: %v, %v", got, err)
		}
	})
}

func TestAPICancelAndLeave(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		sched := scheduleBot(t, d.Admin, "sched")
		b, err := d.Admin.Bots().Cancel(ctx, sched.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != api.StatusDone || b.EndReason != api.ReasonCancelled {
			t.Errorf("cancelled scheduled bot is %s/%s", b.Status, b.EndReason)
		}
		_, err = d.Admin.Bots().Cancel(ctx, sched.ID)
		wantError(t, err, http.StatusConflict, api.CodeInvalidTransition)

		left, err := d.Admin.Bots().Leave(ctx, scheduleBot(t, d.Admin, "never joins").ID)
		if err != nil {
			t.Fatal(err)
		}
		if left.Status != api.StatusDone || left.EndReason != api.ReasonCancelled {
			t.Errorf("scheduled bot told to leave is %s/%s, want DONE/cancelled", left.Status, left.EndReason)
		}

		running := callBot(t, d.Admin)
		leaving, err := d.Admin.Bots().Leave(ctx, running.ID)
		if err != nil {
			t.Fatal(err)
		}
		if leaving.Status != api.StatusLeaving && leaving.Status != api.StatusDone {
			t.Errorf("bot told to leave is %s", leaving.Status)
		}
		done := botReaches(t, d.Admin, running.ID, api.StatusDone)
		if done.EndReason != api.ReasonLeftByRequest {
			t.Errorf("left bot ended %s", done.EndReason)
		}
	})
}

func TestAPICancelQueuedBot(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{Limits: map[string]int{"local": 0}})
		ctx := t.Context()
		q := createBot(t, d.Admin, api.CreateBotRequest{})
		if q.Status != api.StatusQueued || q.QueuePosition != 1 {
			t.Fatalf("bot without capacity is %s at %d, want QUEUED at 1", q.Status, q.QueuePosition)
		}
		b, err := d.Admin.Bots().Cancel(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != api.StatusDone || b.EndReason != api.ReasonCancelled {
			t.Errorf("cancelled queued bot is %s/%s", b.Status, b.EndReason)
		}
		if entries, err := d.Admin.Queue(ctx); err != nil || len(entries) != 0 {
			t.Errorf("queue after cancel: %v, %v", entries, err)
		}
	})
}

func TestAPIBulkActions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := t.Context()
		other, _ := member(t, d, "other@example.com")
		foreign := scheduleBot(t, other, "foreign")
		own1, own2 := scheduleBot(t, d.Admin, "one"), scheduleBot(t, d.Admin, "two")
		ended := endedBot(t, d.Admin)

		res, err := d.Admin.Bots().BulkCancel(ctx, []int64{own1.ID, foreign.ID, missingID, own2.ID, ended.ID})
		if err != nil {
			t.Fatal(err)
		}
		wantBulk(t, res, []int64{own1.ID, own2.ID}, map[int64]string{foreign.ID: api.CodeNotFound, missingID: api.CodeNotFound, ended.ID: api.CodeInvalidTransition})
		for _, id := range []int64{own1.ID, own2.ID} {
			if b, _ := d.Admin.Bots().Get(ctx, id); b.Status != api.StatusDone {
				t.Errorf("bulk-cancelled bot %d is %s", id, b.Status)
			}
		}
		if b, _ := other.Bots().Get(ctx, foreign.ID); b.Status != api.StatusScheduled {
			t.Errorf("another user's bot became %s", b.Status)
		}

		running := callBot(t, d.Admin)
		res, err = d.Admin.Bots().BulkLeave(ctx, []int64{running.ID, foreign.ID, missingID})
		if err != nil {
			t.Fatal(err)
		}
		wantBulk(t, res, []int64{running.ID}, map[int64]string{foreign.ID: api.CodeNotFound, missingID: api.CodeNotFound})
		botReaches(t, d.Admin, running.ID, api.StatusDone)
	})
}

func wantBulk(tb testing.TB, res *api.BulkResult, ok []int64, failed map[int64]string) {
	tb.Helper()
	if len(res.Succeeded) != len(ok) {
		tb.Errorf("succeeded %v, want %v", res.Succeeded, ok)
	}
	for i, id := range ok {
		if i < len(res.Succeeded) && res.Succeeded[i] != id {
			tb.Errorf("succeeded %v, want %v", res.Succeeded, ok)
		}
	}
	if len(res.Failed) != len(failed) {
		tb.Errorf("failed %+v, want %v", res.Failed, failed)
	}
	for _, f := range res.Failed {
		if code, want := f.Code, failed[f.BotID]; code != want {
			tb.Errorf("bot %d failed with %q, want %q", f.BotID, code, want)
		}
	}
}

func TestAPILogLevel(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{})
		ctx := context.Background()
		b := scheduleBot(t, d.Admin, "quiet")
		up, err := d.Admin.Bots().SetLogLevel(ctx, b.ID, "DEBUG")
		if err != nil {
			t.Fatal(err)
		}
		if up.LogLevel != "DEBUG" {
			t.Errorf("answer has log level %s", up.LogLevel)
		}
		if got, _ := d.Admin.Bots().Get(ctx, b.ID); got.LogLevel != "DEBUG" {
			t.Errorf("stored log level %s", got.LogLevel)
		}
	})
}
