package api

import (
	"context"
	"net/http"
	"time"
)

// ConsoleLink is a one-time link that signs a browser in to the web
// console as the API key holder who asked for it. It works once, until
// ExpiresAt. URL is the link on the daemon's public URL; Path is the same
// link relative to the daemon, for a client that reaches the daemon at
// another address.
type ConsoleLink struct {
	URL       string    `json:"url"`
	Path      string    `json:"path"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// ConsoleLink asks for a one-time sign-in link to the web console.
func (c *Client) ConsoleLink(ctx context.Context) (*ConsoleLink, error) {
	var out ConsoleLink
	return &out, c.do(ctx, http.MethodPost, "/v1/console/links", nil, struct{}{}, &out)
}
