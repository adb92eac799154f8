package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// KeysClient reaches /v1/keys.
type KeysClient struct{ c *Client }

// Keys returns the API keys resource.
func (c *Client) Keys() *KeysClient { return &KeysClient{c} }

// Create makes a key; its secret is in the answer and nowhere else.
func (k *KeysClient) Create(ctx context.Context, req CreateKeyRequest, opts ...RequestOption) (*CreatedKey, error) {
	var out CreatedKey
	return &out, k.c.do(ctx, http.MethodPost, "/v1/keys", nil, req, &out, opts...)
}

// List pages the caller's keys, newest first.
func (k *KeysClient) List(ctx context.Context, cursor string, limit int) (*List[APIKey], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[APIKey]
	return &out, k.c.do(ctx, http.MethodGet, "/v1/keys", q, nil, &out)
}

// Revoke revokes a key for good.
func (k *KeysClient) Revoke(ctx context.Context, id int64) (*APIKey, error) {
	var out APIKey
	return &out, k.c.do(ctx, http.MethodPost, "/v1/keys/"+strconv.FormatInt(id, 10)+"/revoke", nil, struct{}{}, &out)
}

// Logs pages the request log, newest first; keyID 0 means every key.
func (k *KeysClient) Logs(ctx context.Context, keyID int64, cursor string, limit int) (*List[RequestLog], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	path := "/v1/keys/logs"
	if keyID != 0 {
		path = "/v1/keys/" + strconv.FormatInt(keyID, 10) + "/logs"
	}
	var out List[RequestLog]
	return &out, k.c.do(ctx, http.MethodGet, path, q, nil, &out)
}

// UsersClient reaches /v1/users (admins) and /v1/me.
type UsersClient struct{ c *Client }

// Users returns the users resource.
func (c *Client) Users() *UsersClient { return &UsersClient{c} }

// Me returns the caller.
func (u *UsersClient) Me(ctx context.Context) (*User, error) {
	var out User
	return &out, u.c.do(ctx, http.MethodGet, "/v1/me", nil, nil, &out)
}

// Create makes a user with a first key (admins only).
func (u *UsersClient) Create(ctx context.Context, req CreateUserRequest, opts ...RequestOption) (*CreatedUser, error) {
	var out CreatedUser
	return &out, u.c.do(ctx, http.MethodPost, "/v1/users", nil, req, &out, opts...)
}

// List pages users by id (admins only).
func (u *UsersClient) List(ctx context.Context, cursor string, limit int) (*List[User], error) {
	q := url.Values{}
	setPage(q, cursor, limit)
	var out List[User]
	return &out, u.c.do(ctx, http.MethodGet, "/v1/users", q, nil, &out)
}

// ResetKeys revokes every key of a user and issues a new one (admins only).
func (u *UsersClient) ResetKeys(ctx context.Context, id int64) (*CreatedKey, error) {
	var out CreatedKey
	return &out, u.c.do(ctx, http.MethodPost, "/v1/users/"+strconv.FormatInt(id, 10)+"/reset-keys", nil, struct{}{}, &out)
}

// Usage reads bots and bot-minutes per day from from to to, both days
// included, in a time zone.
func (c *Client) Usage(ctx context.Context, from, to time.Time, timeZone string) (*Usage, error) {
	q := url.Values{}
	q.Set("from", from.Format("2006-01-02"))
	q.Set("to", to.Format("2006-01-02"))
	if timeZone != "" {
		q.Set("timeZone", timeZone)
	}
	var out Usage
	return &out, c.do(ctx, http.MethodGet, "/v1/usage", q, nil, &out)
}

// Plan reads the caller's plan and today's allowance in a time zone.
func (c *Client) Plan(ctx context.Context, timeZone string) (*Plan, error) {
	q := url.Values{}
	if timeZone != "" {
		q.Set("timeZone", timeZone)
	}
	var out Plan
	return &out, c.do(ctx, http.MethodGet, "/v1/plan", q, nil, &out)
}

// Get reads one user with their plan and limits (admins only).
func (u *UsersClient) Get(ctx context.Context, id int64) (*User, error) {
	var out User
	return &out, u.c.do(ctx, http.MethodGet, "/v1/users/"+strconv.FormatInt(id, 10), nil, nil, &out)
}

// Update changes a user's plan and limits (admins only).
func (u *UsersClient) Update(ctx context.Context, id int64, req UpdateUserRequest) (*User, error) {
	var out User
	return &out, u.c.do(ctx, http.MethodPatch, "/v1/users/"+strconv.FormatInt(id, 10), nil, req, &out)
}

// PlansClient manages plans (admins only).
type PlansClient struct{ c *Client }

// Plans returns the plans resource.
func (c *Client) Plans() *PlansClient { return &PlansClient{c} }

// List lists every plan.
func (p *PlansClient) List(ctx context.Context) (*List[PlanLimits], error) {
	var out List[PlanLimits]
	return &out, p.c.do(ctx, http.MethodGet, "/v1/plans", nil, nil, &out)
}

// Create makes a plan.
func (p *PlansClient) Create(ctx context.Context, req CreatePlanRequest, opts ...RequestOption) (*PlanLimits, error) {
	var out PlanLimits
	return &out, p.c.do(ctx, http.MethodPost, "/v1/plans", nil, req, &out, opts...)
}
