// Package trpcclient speaks the Meeboter bot protocol exactly as the bot
// containers do (tRPC v11 httpBatchLink with superjson, @trpc/client 11.8):
// queries as batched GETs with a URL-encoded input, mutations as batched
// POSTs, string bot ids where the bots send strings, Date annotations and
// undefined markers where the bots put them, and the X-Milo-Token header on
// every request. It drives simulated bots and end-to-end tests, and it is
// stricter than the real client in one way: an answer the real bot would
// silently mis-read (a result without its "json" wrapper, a config Date
// without its annotation) is an error here, so server bugs surface.
package trpcclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/meeboter/meeboter/trpc"
)

// maxResponseBytes bounds what the client reads from one response.
const maxResponseBytes = 64 << 20

// Client calls one Milo-compatible server with one bot token.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a client for miloURL (the bots' MILO_URL: the server origin,
// with no trailing slash, since the bots append "/api/trpc" as is). A nil
// httpClient means http.DefaultClient.
func New(miloURL, token string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{base: miloURL, token: token, http: httpClient}
}

// send makes one HTTP request for calls (all queries or all mutations) and
// settles every call with its result or error.
func (c *Client) send(ctx context.Context, method string, calls []*call) error {
	err := c.roundTrip(ctx, method, calls)
	if err != nil {
		for _, cl := range calls {
			cl.settle(nilDecoded, err)
		}
	}
	return err
}

func (c *Client) roundTrip(ctx context.Context, method string, calls []*call) error {
	req, err := c.newRequest(ctx, method, calls)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return err
	}
	items, err := splitItems(body, len(calls), resp.StatusCode)
	if err != nil {
		return err
	}
	for i, cl := range calls {
		cl.settle(decodeItem(items[i]))
	}
	return nil
}

// newRequest builds the request httpBatchLink would send.
func (c *Client) newRequest(ctx context.Context, method string, calls []*call) (*http.Request, error) {
	if len(calls) == 0 {
		return nil, errors.New("trpcclient: empty batch")
	}
	container, err := inputContainer(calls)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(calls))
	for i, cl := range calls {
		paths[i] = cl.path
	}
	url := c.base + "/api/trpc/" + strings.Join(paths, ",") + "?batch=1"
	var body io.Reader
	if method == http.MethodGet {
		url += "&input=" + encodeURIComponent(string(container))
	} else {
		body = bytes.NewReader(container)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, fmt.Errorf("trpcclient: %w", err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(trpc.TokenHeader, c.token)
	return req, nil
}

// inputContainer builds {"0":<envelope>,"1":<envelope>,...}.
func inputContainer(calls []*call) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, cl := range calls {
		env, err := cl.encodeInput()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `"%d":`, i)
		buf.Write(env)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// encodeURIComponent escapes s as JavaScript's encodeURIComponent does,
// which the real client applies to the query input.
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}
