package coolify

import (
	"context"
	"net/url"
)

// Raw sends any call, for tests that need requests the pool never makes
// (an invalid body, a route that moved).
func (c *Client) Raw(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return c.do(ctx, call{method: method, path: path, query: query, body: body}, out)
}
