package httpapi

import (
	"net/http"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

func createdKey(k account.CreatedKey) api.CreatedKey {
	return api.CreatedKey{APIKey: wire.Key(k.Key), Secret: k.Secret}
}

func (a *API) createKey(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.CreateKeyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	key, err := a.svc.Account.CreateCappedKey(r.Context(), callerFrom(r.Context()), req.Name, req.ExpiresInDays, req.MaxConcurrentBots)
	if err != nil {
		return nil, err
	}
	return created{createdKey(key)}, nil
}

func (a *API) listKeys(w http.ResponseWriter, r *http.Request) (any, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	keys, err := a.svc.Account.ListKeys(r.Context(), callerFrom(r.Context()), page)
	if err != nil {
		return nil, err
	}
	return api.List[api.APIKey]{Items: wire.Map(keys, wire.Key), NextCursor: nextCursor(keys, page.Limit, func(k store.APIKey) int64 { return k.ID })}, nil
}

func (a *API) revokeKey(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	k, err := a.svc.Account.RevokeKey(r.Context(), callerFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	return wire.Key(k), nil
}

func (a *API) keyLogs(w http.ResponseWriter, r *http.Request) (any, error) {
	var keyID *int64
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		keyID = &id
	}
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	logs, err := a.svc.Account.RequestLogs(r.Context(), callerFrom(r.Context()), keyID, page)
	if err != nil {
		return nil, err
	}
	conv := func(l store.APIRequestLog) api.RequestLog {
		return api.RequestLog{ID: l.ID, KeyID: l.APIKeyID, Method: l.Method, Path: l.Path, Status: l.Status, DurationMS: l.DurationMS, IP: l.IP, Error: l.Error, CreatedAt: l.CreatedAt}
	}
	return api.List[api.RequestLog]{Items: wire.Map(logs, conv), NextCursor: nextCursor(logs, page.Limit, func(l store.APIRequestLog) int64 { return l.ID })}, nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) (any, error) {
	return wire.User(callerFrom(r.Context()).User), nil
}

// createUser makes a user with a first key (admins only).
func (a *API) createUser(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	if err := c.RequireAdmin(); err != nil {
		return nil, err // before reading the body: the route does not exist for members
	}
	var req api.CreateUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	cu, err := a.svc.Account.CreateUser(r.Context(), c, account.NewUser{Email: req.Email, Name: req.Name, Role: req.Role, CustomDailyBotLimit: req.CustomDailyBotLimit})
	if err != nil {
		return nil, err
	}
	return created{api.CreatedUser{User: wire.User(cu.User), Key: createdKey(cu.Key)}}, nil
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	if err := c.RequireAdmin(); err != nil {
		return nil, err
	}
	page, err := pageFrom(r, false)
	if err != nil {
		return nil, err
	}
	users, err := a.svc.Account.ListUsers(r.Context(), c, page)
	if err != nil {
		return nil, err
	}
	return api.List[api.User]{Items: wire.Map(users, wire.User), NextCursor: nextCursor(users, page.Limit, func(u store.User) int64 { return u.ID })}, nil
}

// resetKeys revokes every key of a user and issues one new key.
func (a *API) resetKeys(w http.ResponseWriter, r *http.Request) (any, error) {
	c := callerFrom(r.Context())
	if err := c.RequireAdmin(); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	key, err := a.svc.Account.ResetKeys(r.Context(), c, id)
	if err != nil {
		return nil, err
	}
	return created{createdKey(key)}, nil
}
