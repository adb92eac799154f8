package tui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// bulk applies one to each id as the daemon's bulk endpoints do: every
// bot is tried, and each failure is reported with its code.
func (f *fakeClient) bulk(call string, ids []int64, one func(int64) error) (*api.BulkResult, error) {
	if err := f.record(call + " " + joinIDs(ids)); err != nil {
		return nil, err
	}
	res := &api.BulkResult{Succeeded: []int64{}, Failed: []api.BulkFailure{}}
	for _, id := range ids {
		if err := one(id); err != nil {
			res.Failed = append(res.Failed, api.BulkFailure{BotID: id, Code: api.CodeInvalidTransition, Error: err.Error()})
			continue
		}
		res.Succeeded = append(res.Succeeded, id)
	}
	return res, nil
}

func (f *fakeClient) BulkLeave(_ context.Context, ids []int64) (*api.BulkResult, error) {
	return f.bulk("bulk-leave", ids, func(id int64) error {
		return f.move(id, api.StatusLeaving, api.StatusInCall, api.StatusInWaitingRoom, api.StatusJoiningCall)
	})
}

func (f *fakeClient) BulkCancel(_ context.Context, ids []int64) (*api.BulkResult, error) {
	return f.bulk("bulk-cancel", ids, func(id int64) error {
		return f.move(id, api.StatusDone, api.StatusScheduled, api.StatusQueued, api.StatusDeploying)
	})
}

func (f *fakeClient) DeleteBot(_ context.Context, id int64) error {
	if err := f.record("delete " + itoa(id)); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.bots[id]
	switch {
	case !ok:
		return api.ErrNotFound
	case !b.Status.Terminal():
		return &api.Error{Problem: api.Problem{Status: 409, Code: api.CodeConflict, Detail: "bot " + itoa(id) + " is " + string(b.Status)}}
	}
	delete(f.bots, id)
	return nil
}

// move changes a bot's status if it is in one of from, as a transition
// the daemon allows.
func (f *fakeClient) move(id int64, to api.BotStatus, from ...api.BotStatus) error {
	f.mu.Lock()
	b, ok := f.bots[id]
	f.mu.Unlock()
	if !ok || !slices.Contains(from, b.Status) {
		return errors.New("cannot move bot " + itoa(id) + " to " + string(to))
	}
	_, err := f.setStatus(id, to)
	return err
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = itoa(id)
	}
	return strings.Join(s, ",")
}
