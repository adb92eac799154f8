package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// StreamOptions selects what a server-sent event stream carries.
type StreamOptions struct {
	// BotID follows one bot (/v1/bots/{id}/stream, with its log lines);
	// 0 follows every bot of the caller (/v1/events/stream).
	BotID int64
	// Statuses narrows the fleet stream to bots entering these statuses.
	Statuses []BotStatus
	// Logs includes log lines in a fleet stream too.
	Logs bool
	// LastEventID resumes after the message with this id (a StreamEvent's
	// ID): the daemon first sends what was missed, or a "reset" message
	// when it no longer can.
	LastEventID string
	// Reconnect makes Stream reconnect by itself when the connection drops
	// or the daemon is unavailable, resuming after the last message it
	// passed to fn, until ctx ends. Zero returns at the first drop.
	Reconnect time.Duration
}

// Stream follows live changes and calls fn for each message until ctx ends,
// the stream breaks (unless opts.Reconnect), or fn returns an error (which
// Stream returns). Without a LastEventID the daemon sends a "bot" message
// with the current state first (bot stream) or a "hello" (fleet stream),
// so a caller never misses a change between reading and following.
func (c *Client) Stream(ctx context.Context, opts StreamOptions, fn func(StreamEvent) error) error {
	track := func(ev StreamEvent) error {
		if ev.ID != "" {
			opts.LastEventID = ev.ID
		}
		return fn(ev)
	}
	for {
		err := c.streamOnce(ctx, opts, track)
		var cbErr callbackError
		switch {
		case errors.As(err, &cbErr):
			return cbErr.err
		case opts.Reconnect <= 0 || ctx.Err() != nil:
			return err
		case !IsUnreachable(err) && !errors.Is(err, ErrUnavailable):
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(opts.Reconnect):
		}
	}
}

// callbackError carries an error of the caller's fn out of readSSE, so a
// reconnecting Stream can tell it from a dropped connection.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }

func (c *Client) streamOnce(ctx context.Context, opts StreamOptions, fn func(StreamEvent) error) error {
	path := "/v1/events/stream"
	if opts.BotID != 0 {
		path = "/v1/bots/" + strconv.FormatInt(opts.BotID, 10) + "/stream"
	}
	q := url.Values{}
	for _, s := range opts.Statuses {
		q.Add("status", string(s))
	}
	if opts.Logs {
		q.Set("logs", "true")
	}
	req, err := c.newRequest(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	if opts.LastEventID != "" {
		req.Header.Set("Last-Event-ID", opts.LastEventID)
	}
	resp, err := c.stream.Do(req)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeProblem(resp)
	}
	return readSSE(ctx, bufio.NewReader(resp.Body), func(ev StreamEvent) error {
		if err := fn(ev); err != nil {
			return callbackError{err}
		}
		return nil
	})
}

// readSSE reads an event stream: "data:" lines hold one JSON StreamEvent
// per event and "id:" its id; comments and other fields are skipped.
func readSSE(ctx context.Context, r *bufio.Reader, fn func(StreamEvent) error) error {
	var data strings.Builder
	id := ""
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: stream ended: %v", ErrUnreachable, err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if data.Len() == 0 {
				id = ""
				continue
			}
			var ev StreamEvent
			if err := json.Unmarshal([]byte(data.String()), &ev); err != nil {
				return fmt.Errorf("decode stream event: %w", err)
			}
			ev.ID, id = id, ""
			data.Reset()
			if err := fn(ev); err != nil {
				return err
			}
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		case strings.HasPrefix(line, "id:"):
			id = strings.TrimPrefix(strings.TrimPrefix(line, "id:"), " ")
		}
	}
}
