package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

const (
	keysShown = 100
	logsShown = 50
)

// keysData fills the Keys page.
type keysData struct {
	Keys      []api.APIKey
	Current   int64 // the key this session acts as
	Logs      []api.RequestLog
	OlderLogs string
	// Created is a key just made: the only time its secret is shown.
	Created *secretView
	Name    string
	Days    string
	Errors  map[string]string
}

// secretView shows a new secret once, with a copy button.
type secretView struct {
	Label  string
	Secret string
}

func (c *Console) keysPage(v *visit) (result, error) {
	d := keysData{}
	return c.keysView(v, &d, http.StatusOK)
}

func (c *Console) keysView(v *visit, d *keysData, status int) (result, error) {
	ctx, caller := v.r.Context(), v.caller()
	keys, err := c.svc.Account.ListKeys(ctx, caller, store.Page{Limit: keysShown})
	if err != nil {
		return nil, err
	}
	page := store.Page{Limit: logsShown}
	if s := v.r.URL.Query().Get("cursor"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, domain.Invalid("cursor", "is not a page of this log")
		}
		page.BeforeID = id
	}
	logs, err := c.svc.Account.RequestLogs(ctx, caller, nil, page)
	if err != nil {
		return nil, err
	}
	d.Keys, d.Current = wire.Map(keys, wire.Key), caller.Key.ID
	d.Logs = wire.Map(logs, func(l store.APIRequestLog) api.RequestLog {
		return api.RequestLog{ID: l.ID, KeyID: l.APIKeyID, Method: l.Method, Path: l.Path, Status: l.Status, DurationMS: l.DurationMS, IP: l.IP, Error: l.Error, CreatedAt: l.CreatedAt}
	})
	if len(logs) == logsShown {
		d.OlderLogs = "/keys?cursor=" + strconv.FormatInt(logs[len(logs)-1].ID, 10) + "#log"
	}
	return view{page: "keys", title: "API keys", nav: "keys", status: status, data: d}, nil
}

// createKey makes a key and shows its secret on the page it answers with;
// it is not kept anywhere to show again.
func (c *Console) createKey(v *visit) (result, error) {
	d := &keysData{Name: strings.TrimSpace(v.r.PostForm.Get("name")), Days: strings.TrimSpace(v.r.PostForm.Get("expiresInDays"))}
	days := 0
	if d.Days != "" {
		n, err := strconv.Atoi(d.Days)
		if err != nil {
			d.Errors = map[string]string{"expiresInDays": "must be a whole number of days"}
			return c.keysView(v, d, http.StatusUnprocessableEntity)
		}
		days = n
	}
	k, err := c.svc.Account.CreateKey(v.r.Context(), v.caller(), d.Name, days)
	if err != nil {
		if d.Errors = fieldErrors(err); d.Errors == nil {
			return nil, err
		}
		return c.keysView(v, d, http.StatusUnprocessableEntity)
	}
	d.Created = &secretView{Label: "Key " + strconv.Quote(k.Key.Name) + " created.", Secret: k.Secret}
	d.Name, d.Days = "", ""
	return c.keysView(v, d, http.StatusOK)
}

// revokeKey revokes a key for good. Revoking the key this session acts as
// ends the session too, so the browser goes to the sign-in page.
func (c *Console) revokeKey(v *visit) (result, error) {
	id, err := strconv.ParseInt(v.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.NotFound("key")
	}
	k, err := c.svc.Account.RevokeKey(v.r.Context(), v.caller(), id)
	if err != nil {
		return redirect{to: "/keys", flash: errFlash("keys", err)}, nil
	}
	if k.ID == v.caller().Key.ID {
		c.clearSession(v.w, v.r)
		return redirect{to: "/signin", flash: okFlash("", "Revoked key %q, which this browser was signed in with; sign in with another key.", k.Name)}, nil
	}
	return redirect{to: "/keys", flash: okFlash("keys", "Revoked key %q.", k.Name)}, nil
}
