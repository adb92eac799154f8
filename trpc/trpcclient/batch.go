package trpcclient

import (
	"context"
	"net/http"

	"github.com/meeboter/meeboter/trpc"
	"github.com/meeboter/meeboter/trpc/superjson"
)

// Void is the value of calls that return nothing.
type Void struct{}

// Batch gathers mutations sent in one POST, as the real client does with
// calls started in the same tick (e.g. a heartbeat and an event report:
// /api/trpc/bots.sendHeartbeat,bots.events.report?batch=1).
type Batch struct {
	c     *Client
	calls []*call
}

// Batch starts an empty batch of mutations.
func (c *Client) Batch() *Batch { return &Batch{c: c} }

// Len returns the number of calls added so far.
func (b *Batch) Len() int { return len(b.calls) }

// Do sends the batch. It returns an error when the request as a whole
// failed (which every Result then also reports); each call's own outcome is
// in its Result.
func (b *Batch) Do(ctx context.Context) error {
	return b.c.send(ctx, http.MethodPost, b.calls)
}

func add[T any](b *Batch, cl *call, r *Result[T]) *Result[T] {
	b.calls = append(b.calls, cl)
	return r
}

// SendHeartbeat adds bots.sendHeartbeat {id:"<botID>"}.
func (b *Batch) SendHeartbeat(botID int64) *Result[trpc.Heartbeat] {
	cl, r := newCall[trpc.Heartbeat]("bots.sendHeartbeat", idInput{ID: idString(botID)}, requireValue)
	return add(b, cl, r)
}

// ReportEvent adds bots.events.report with the event's time as a Date.
func (b *Batch) ReportEvent(botID int64, ev trpc.Event) *Result[Void] {
	cl, r := newCall[Void]("bots.events.report", eventInput{ID: idString(botID), Event: ev}, nil)
	return add(b, cl, r)
}

// UpdateStatus adds bots.updateStatus in the shape the bot uses for that
// status (see statusPayload).
func (b *Batch) UpdateStatus(botID int64, u trpc.StatusUpdate) *Result[Void] {
	cl, r := newCall[Void]("bots.updateStatus", statusPayload(botID, u), nil)
	return add(b, cl, r)
}

// StreamLogs adds bots.logs.stream; its result is the received count.
func (b *Batch) StreamLogs(botID int64, entries []trpc.LogEntry) *Result[int] {
	cl, r := newCall[received]("bots.logs.stream", logsPayload(botID, entries), requireValue)
	out := &Result[int]{}
	settle := cl.settle
	cl.settle = func(d superjson.Decoded, err error) {
		settle(d, err)
		out.value, out.err, out.done = r.value.Received, r.err, true
	}
	b.calls = append(b.calls, cl)
	return out
}

// FlushLogs adds bots.logs.flush {botId:"<botID>"}.
func (b *Batch) FlushLogs(botID int64) *Result[Void] {
	cl, r := newCall[Void]("bots.logs.flush", botIDInput{BotID: idString(botID)}, nil)
	return add(b, cl, r)
}

// received is bots.logs.stream's output.
type received struct {
	Received int `json:"received"`
}
