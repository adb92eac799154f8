package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// mkEndpoint registers an endpoint of the user taking types (none: all).
func mkEndpoint(t *testing.T, s store.Store, userID int64, url string, types ...string) store.WebhookEndpoint {
	t.Helper()
	e, err := s.CreateWebhookEndpoint(t.Context(), store.NewWebhookEndpoint{UserID: userID, URL: url, Description: "test",
		EventTypes: types, Secret: "sealed-" + url, Now: t0})
	ok(t, err)
	return e
}

// toEndpoint keeps the deliveries to one endpoint.
func toEndpoint(ds []store.WebhookDelivery, id int64) []store.WebhookDelivery {
	var out []store.WebhookDelivery
	for _, d := range ds {
		if d.EndpointID == id {
			out = append(out, d)
		}
	}
	return out
}

// failAttempt claims the endpoint's first due delivery and records a
// failed attempt, retried in a minute, with the given disable rules.
func failAttempt(t *testing.T, s store.Store, endpointID int64, now time.Time, a store.WebhookAttempt) store.AttemptResult {
	t.Helper()
	for _, d := range claimWebhooks(t, s, "d", now) {
		if d.EndpointID != endpointID {
			continue
		}
		retry := now.Add(time.Minute)
		a.ID, a.Holder, a.StatusCode, a.Error, a.NextAttemptAt, a.Now = d.ID, "d", 500, "HTTP 500", &retry, now
		res, err := s.RecordWebhookAttempt(t.Context(), a)
		ok(t, err)
		return res
	}
	t.Fatalf("no delivery of endpoint %d due at %v", endpointID, now)
	return store.AttemptResult{}
}

var endpointOutboxTests = []namedTest{
	{"EndpointFanOut", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		all := mkEndpoint(t, s, u.ID, "https://a.example/all")
		ends := mkEndpoint(t, s, u.ID, "https://a.example/ends", api.WebhookBotEnded)
		theirs := mkEndpoint(t, s, other.ID, "https://b.example/all")
		b := endedWithCallback(t, s, u.ID)
		got := deliveries(t, s, b.ID)
		eq(t, "callback and two endpoints", len(got), 5)
		eqStrings(t, "to the catch-all", types(toEndpoint(got, all.ID)), api.WebhookBotStatusChanged, api.WebhookBotEnded)
		eqStrings(t, "to the filtered one", types(toEndpoint(got, ends.ID)), api.WebhookBotEnded)
		eq(t, "another user's endpoint", len(toEndpoint(got, theirs.ID)), 0)
		ended := ofType(got, api.WebhookBotEnded)
		for _, d := range ended {
			eq(t, "one message id per event", d.MessageID, ended[0].MessageID)
		}
		if toEndpoint(got, all.ID)[0].SequenceKey == toEndpoint(got, ends.ID)[0].SequenceKey {
			t.Fatal("two endpoints share a sequence")
		}
		eq(t, "url", toEndpoint(got, all.ID)[0].URL, all.URL)
	}},
	{"DisabledEndpointGetsNothing", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		e := mkEndpoint(t, s, u.ID, "https://a.example/gone")
		b := mkBot(t, s, u.ID)
		move(t, s, b.ID, api.StatusDone)
		res := failAttempt(t, s, e.ID, t0, store.WebhookAttempt{Disable: "the receiver answered 410 Gone"})
		if res.Disabled == nil || res.Disabled.DisabledAt == nil || res.Disabled.DisabledReason != "the receiver answered 410 Gone" {
			t.Fatalf("attempt result %+v, want the endpoint disabled", res)
		}
		eq(t, "the attempt's delivery is given up", res.Delivery.GivenUp(), true)
		for _, d := range toEndpoint(deliveries(t, s, b.ID), e.ID) {
			eq(t, "every due delivery given up", d.GivenUp(), true)
		}
		c := mkBot(t, s, u.ID)
		move(t, s, c.ID, api.StatusDone)
		eq(t, "nothing new", len(toEndpoint(deliveries(t, s, c.ID), e.ID)), 0)
	}},
	{"DisabledAfterFailingLong", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		e := mkEndpoint(t, s, u.ID, "https://a.example/flaky")
		watcher := mkEndpoint(t, s, u.ID, "https://a.example/ops", api.WebhookEndpointDisabled)
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		move(t, s, b.ID, api.StatusJoiningCall)
		move(t, s, b.ID, api.StatusInCall)
		const window = 5 * 24 * time.Hour
		res := failAttempt(t, s, e.ID, t0, store.WebhookAttempt{DisableAfter: window})
		eq(t, "not disabled by the first failure", res.Disabled == nil, true)
		got, err := s.GetWebhookEndpoint(t.Context(), u.ID, e.ID)
		ok(t, err)
		eqTime(t, "failing since", got.FailingSince, t0)
		later := t0.Add(time.Minute)
		res = failAttempt(t, s, e.ID, later, store.WebhookAttempt{DisableAfter: window})
		eq(t, "not within the window", res.Disabled == nil, true)
		got, _ = s.GetWebhookEndpoint(t.Context(), u.ID, e.ID)
		eqTime(t, "still failing since the first", got.FailingSince, t0)
		res = failAttempt(t, s, e.ID, t0.Add(window), store.WebhookAttempt{DisableAfter: window})
		if res.Disabled == nil || res.Disabled.DisabledAt == nil {
			t.Fatalf("attempt result %+v, want the endpoint disabled after five days", res)
		}
		var notice []store.WebhookDelivery
		eps, err := s.ListEndpointDeliveries(t.Context(), u.ID, watcher.ID, store.Page{})
		ok(t, err)
		notice = ofType(eps, api.WebhookEndpointDisabled)
		eq(t, "the other endpoint hears of it", len(notice), 1)
		var p api.EndpointDisabledWebhook
		ok(t, json.Unmarshal(notice[0].Payload, &p))
		eq(t, "which endpoint", p.EndpointID, e.ID)
		eq(t, "no bot", notice[0].BotID, int64(0))
		for _, d := range toEndpoint(deliveries(t, s, b.ID), e.ID) {
			eq(t, "every due delivery given up", d.GivenUp(), true)
		}
		en, err := s.UpdateWebhookEndpoint(t.Context(), u.ID, e.ID, store.WebhookEndpointPatch{Enable: true, Now: t0})
		ok(t, err)
		eq(t, "enabled again", en.DisabledAt == nil && en.FailingSince == nil && en.DisabledReason == "", true)
	}},
	{"SuccessResetsTheClock", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		e := mkEndpoint(t, s, u.ID, "https://a.example/x")
		b := mkBot(t, s, u.ID)
		move(t, s, b.ID, api.StatusDone)
		failAttempt(t, s, e.ID, t0, store.WebhookAttempt{})
		retry := claimWebhooks(t, s, "d", t0.Add(time.Minute))
		eq(t, "retried", len(retry), 1)
		deliver(t, s, retry[0], "d", t0.Add(time.Minute))
		got, err := s.GetWebhookEndpoint(t.Context(), u.ID, e.ID)
		ok(t, err)
		eq(t, "no longer failing", got.FailingSince == nil, true)
	}},
}

var resendTests = []namedTest{
	{"Resend", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		e := mkEndpoint(t, s, u.ID, "https://a.example/r")
		b := endedWithCallback(t, s, u.ID)
		first := toEndpoint(deliveries(t, s, b.ID), e.ID)[0]
		_, err := s.ResendWebhook(t.Context(), other.ID, first.ID, t0)
		wantErr(t, err, store.ErrNotFound)
		again, err := s.ResendWebhook(t.Context(), u.ID, first.ID, t0.Add(time.Hour))
		ok(t, err)
		if again.ID == first.ID || again.MessageID != first.MessageID || string(again.Payload) != string(first.Payload) {
			t.Fatalf("resent %+v of %+v: want a new delivery of the same message", again, first)
		}
		eq(t, "endpoint", again.EndpointID, e.ID)
		eq(t, "attempts", again.Attempts, 0)
		eqTime(t, "due at once", again.NextAttemptAt, t0.Add(time.Hour))
		list, err := s.ListEndpointDeliveries(t.Context(), u.ID, e.ID, store.Page{Limit: 1})
		ok(t, err)
		eq(t, "newest first", list[0].ID, again.ID)
		_, err = s.ListEndpointDeliveries(t.Context(), other.ID, e.ID, store.Page{})
		wantErr(t, err, store.ErrNotFound)
		failAttempt(t, s, e.ID, t0, store.WebhookAttempt{Disable: "gone"})
		_, err = s.ResendWebhook(t.Context(), u.ID, first.ID, t0)
		wantErr(t, err, store.ErrConflict)
	}},
}

var endpointsTests = []namedTest{
	{"CRUD", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		a := mkEndpoint(t, s, u.ID, "https://a.example/1", api.WebhookBotEnded, api.WebhookBotQueued)
		b := mkEndpoint(t, s, u.ID, "https://a.example/2")
		eqStrings(t, "types", a.EventTypes, api.WebhookBotEnded, api.WebhookBotQueued)
		eq(t, "no filter", len(b.EventTypes), 0)
		eq(t, "sealed secret kept", a.Secret, "sealed-https://a.example/1")
		eq(t, "wants ended", a.Wants(api.WebhookBotEnded), true)
		eq(t, "not status changes", a.Wants(api.WebhookBotStatusChanged), false)
		eq(t, "catch-all wants anything", b.Wants(api.WebhookBotStatusChanged), true)
		list, err := s.ListWebhookEndpoints(t.Context(), u.ID, store.Page{})
		ok(t, err)
		eq(t, "listed", len(list), 2)
		eq(t, "newest first", list[0].ID, b.ID)
		_, err = s.GetWebhookEndpoint(t.Context(), other.ID, a.ID)
		wantErr(t, err, store.ErrNotFound)
		got, err := s.GetWebhookEndpoint(t.Context(), 0, a.ID)
		ok(t, err)
		eq(t, "the daemon reads any", got.UserID, u.ID)
		url, none := "https://a.example/new", []string{}
		up, err := s.UpdateWebhookEndpoint(t.Context(), u.ID, a.ID, store.WebhookEndpointPatch{URL: &url, EventTypes: &none, Now: t0.Add(time.Hour)})
		ok(t, err)
		eq(t, "url", up.URL, url)
		eq(t, "filter cleared", len(up.EventTypes), 0)
		eq(t, "description kept", up.Description, "test")
		eqTime(t, "updated", &up.UpdatedAt, t0.Add(time.Hour))
		_, err = s.UpdateWebhookEndpoint(t.Context(), other.ID, a.ID, store.WebhookEndpointPatch{URL: &url, Now: t0})
		wantErr(t, err, store.ErrNotFound)
		wantErr(t, s.DeleteWebhookEndpoint(t.Context(), other.ID, a.ID), store.ErrNotFound)
		ok(t, s.DeleteWebhookEndpoint(t.Context(), u.ID, a.ID))
		_, err = s.GetWebhookEndpoint(t.Context(), u.ID, a.ID)
		wantErr(t, err, store.ErrNotFound)
	}},
	{"Rotate", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		e := mkEndpoint(t, s, u.ID, "https://a.example/r")
		until := t0.Add(24 * time.Hour)
		_, err := s.RotateWebhookSecret(t.Context(), store.RotateWebhookSecretParams{UserID: other.ID, ID: e.ID, Secret: "x", PreviousUntil: until, Now: t0})
		wantErr(t, err, store.ErrNotFound)
		r, err := s.RotateWebhookSecret(t.Context(), store.RotateWebhookSecretParams{UserID: u.ID, ID: e.ID, Secret: "sealed-new", PreviousUntil: until, Now: t0})
		ok(t, err)
		eq(t, "new secret", r.Secret, "sealed-new")
		eq(t, "old one kept", r.PreviousSecret, e.Secret)
		eqTime(t, "until", r.PreviousUntil, until)
	}},
	{"DeletedWithDeliveries", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		e := mkEndpoint(t, s, u.ID, "https://a.example/d")
		b := endedWithCallback(t, s, u.ID)
		eq(t, "before", len(toEndpoint(deliveries(t, s, b.ID), e.ID)), 2)
		ok(t, s.DeleteWebhookEndpoint(t.Context(), u.ID, e.ID))
		eq(t, "after", len(toEndpoint(deliveries(t, s, b.ID), e.ID)), 0)
		eq(t, "the callback's stay", len(deliveries(t, s, b.ID)), 2)
	}},
}
