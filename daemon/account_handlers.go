package daemon

import (
	"errors"
	"net/http"
	"net/mail"
	"strconv"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

const (
	defaultKeyDays = 180
	maxKeyDays     = 365
)

func (s *Server) createKey(w http.ResponseWriter, r *http.Request) (any, error) {
	var req api.CreateKeyRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v := &validator{}
	v.check(req.Name != "", "name", "is required")
	v.maxLen(req.Name, 255, "name")
	v.check(req.ExpiresInDays >= 0 && req.ExpiresInDays <= maxKeyDays, "expiresInDays", "must be from 1 to %d (default %d)", maxKeyDays, defaultKeyDays)
	if err := v.err(); err != nil {
		return nil, err
	}
	key, err := s.issueKey(r.Context(), callerFrom(r.Context()).user.ID, req.Name, cmpOr(req.ExpiresInDays, defaultKeyDays))
	if err != nil {
		return nil, err
	}
	return created{key}, nil
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) (any, error) {
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.ListAPIKeys(r.Context(), callerFrom(r.Context()).user.ID, page)
	if err != nil {
		return nil, err
	}
	return api.List[api.APIKey]{Items: mapSlice(keys, keyToAPI), NextCursor: nextCursor(keys, page.Limit, func(k store.APIKey) int64 { return k.ID })}, nil
}

func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	k, err := s.store.RevokeAPIKey(r.Context(), callerFrom(r.Context()).user.ID, id, s.now())
	if err != nil {
		return nil, errNotFoundIf(err, "key")
	}
	return keyToAPI(k), nil
}

func (s *Server) keyLogs(w http.ResponseWriter, r *http.Request) (any, error) {
	var keyID *int64
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		if err := s.ownKey(r, id); err != nil {
			return nil, err
		}
		keyID = &id
	}
	page, err := pageFrom(r, true)
	if err != nil {
		return nil, err
	}
	logs, err := s.store.ListRequestLogs(r.Context(), callerFrom(r.Context()).user.ID, keyID, page)
	if err != nil {
		return nil, err
	}
	conv := func(l store.APIRequestLog) api.RequestLog {
		return api.RequestLog{ID: l.ID, KeyID: l.APIKeyID, Method: l.Method, Path: l.Path, Status: l.Status, DurationMS: l.DurationMS, IP: l.IP, Error: l.Error, CreatedAt: l.CreatedAt}
	}
	return api.List[api.RequestLog]{Items: mapSlice(logs, conv), NextCursor: nextCursor(logs, page.Limit, func(l store.APIRequestLog) int64 { return l.ID })}, nil
}

// ownKey answers 404 unless the caller owns the key.
func (s *Server) ownKey(r *http.Request, id int64) error {
	owned, err := s.store.ListAPIKeys(r.Context(), callerFrom(r.Context()).user.ID, store.Page{BeforeID: id + 1, Limit: 1})
	if err != nil {
		return err
	}
	if len(owned) == 0 || owned[0].ID != id {
		return errNotFound("key")
	}
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) (any, error) {
	return userToAPI(callerFrom(r.Context()).user), nil
}

// createUser makes a user with a first key (admins only).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := requireAdmin(r); err != nil {
		return nil, err
	}
	var req api.CreateUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	v := &validator{}
	_, mailErr := mail.ParseAddress(req.Email)
	v.check(req.Email != "" && mailErr == nil && len(req.Email) <= 255, "email", "must be an email address")
	v.maxLen(req.Name, 255, "name")
	v.check(req.Role == "" || req.Role == api.RoleAdmin || req.Role == api.RoleMember, "role", "must be admin or member")
	v.check(req.CustomDailyBotLimit == nil || *req.CustomDailyBotLimit >= 0, "customDailyBotLimit", "must not be negative")
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := s.store.CreateUser(r.Context(), store.NewUser{Email: req.Email, Name: orDefault(req.Name, req.Email), Role: store.Role(orDefault(req.Role, api.RoleMember)), Now: s.now()})
	if errors.Is(err, store.ErrConflict) {
		return nil, errConflict("a user with this email exists")
	}
	if err != nil {
		return nil, err
	}
	if req.CustomDailyBotLimit != nil {
		if err := s.store.SetCustomDailyLimit(r.Context(), u.ID, req.CustomDailyBotLimit); err != nil {
			return nil, err
		}
		u.CustomDailyBotLimit = req.CustomDailyBotLimit
	}
	key, err := s.issueKey(r.Context(), u.ID, "first key", defaultKeyDays)
	if err != nil {
		return nil, err
	}
	return created{api.CreatedUser{User: userToAPI(u), Key: key}}, nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := requireAdmin(r); err != nil {
		return nil, err
	}
	page, err := pageFrom(r, false)
	if err != nil {
		return nil, err
	}
	users, err := s.store.ListUsers(r.Context(), page)
	if err != nil {
		return nil, err
	}
	return api.List[api.User]{Items: mapSlice(users, userToAPI), NextCursor: nextCursor(users, page.Limit, func(u store.User) int64 { return u.ID })}, nil
}

// resetKeys revokes every key of a user and issues one new key.
func (s *Server) resetKeys(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := requireAdmin(r); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetUser(r.Context(), id); err != nil {
		return nil, errNotFoundIf(err, "user")
	}
	if _, err := s.store.RevokeUserKeys(r.Context(), id, s.now()); err != nil {
		return nil, err
	}
	key, err := s.issueKey(r.Context(), id, "reset "+strconv.FormatInt(s.now().Unix(), 10), defaultKeyDays)
	if err != nil {
		return nil, err
	}
	return created{key}, nil
}
