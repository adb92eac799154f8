package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
)

// nativeTransport speaks the daemon's own agent API under /v1/agent.
type nativeTransport struct {
	base  string
	token string
	http  *http.Client
}

// NewNativeTransport returns the Transport of the native agent API at
// baseURL, authenticating with the bot's token. A nil client uses one with
// a 30 s timeout.
func NewNativeTransport(baseURL, token string, client *http.Client) Transport {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &nativeTransport{base: strings.TrimRight(baseURL, "/") + "/v1/agent", token: token, http: client}
}

func (n *nativeTransport) Config(ctx context.Context) (api.AgentConfig, error) {
	var out api.AgentConfig
	_, err := n.call(ctx, http.MethodGet, "/config", nil, &out)
	// A 409 on config means the bot is already over (the tRPC protocol
	// says PRECONDITION_FAILED); a container started again must just exit.
	var ae *api.Error
	if errors.As(err, &ae) && ae.Status == http.StatusConflict {
		return out, fmt.Errorf("%w: %w", ErrGone, err)
	}
	return out, err
}

func (n *nativeTransport) Heartbeat(ctx context.Context) (api.AgentHeartbeat, error) {
	var out api.AgentHeartbeat
	_, err := n.call(ctx, http.MethodPost, "/heartbeat", nil, &out)
	return out, err
}

func (n *nativeTransport) Status(ctx context.Context, req api.AgentStatusRequest) (api.AgentHeartbeat, error) {
	var out api.AgentHeartbeat
	_, err := n.call(ctx, http.MethodPost, "/status", req, &out)
	return out, err
}

func (n *nativeTransport) Events(ctx context.Context, events []api.AgentEvent) error {
	_, err := n.call(ctx, http.MethodPost, "/events", api.AgentEventsRequest{Events: events}, &api.Accepted{})
	return err
}

func (n *nativeTransport) Logs(ctx context.Context, entries []api.AgentLogEntry) error {
	_, err := n.call(ctx, http.MethodPost, "/logs", api.AgentLogsRequest{Entries: entries}, &api.Accepted{})
	return err
}

func (n *nativeTransport) DequeueChat(ctx context.Context) (*api.AgentChatMessage, error) {
	var msg api.AgentChatMessage
	status, err := n.call(ctx, http.MethodPost, "/chat/dequeue", nil, &msg)
	if err != nil || status == http.StatusNoContent {
		return nil, err
	}
	return &msg, nil
}

// call sends one JSON request and decodes a 2xx answer into out.
func (n *nativeTransport) call(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return 0, fmt.Errorf("encode %s: %w", path, err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, n.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return n.send(req, out)
}

// send adds the token, sends req and turns error answers into errors.
func (n *nativeTransport) send(req *http.Request, out any) (int, error) {
	req.Header.Set("Authorization", "Bearer "+n.token)
	req.Header.Set("Accept", "application/json")
	resp, err := n.http.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return 0, ctxErr
		}
		return 0, fmt.Errorf("%s %s: %w: %v", req.Method, req.URL.Path, api.ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return resp.StatusCode, problemError(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp.StatusCode, fmt.Errorf("decode %s: %w", req.URL.Path, err)
	}
	return resp.StatusCode, nil
}
