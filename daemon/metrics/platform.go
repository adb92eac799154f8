package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// Platform wraps p so every call is timed and its failures counted, by
// platform and operation. A platform that reports many resources in one
// call stays one: the wrapper has Statuses exactly when p does, so the
// daemon's type checks see what p offers; and HostBound answers as p does
// (false when p does not say), since the stop and the reconciler decide by
// it whose bots are whose. Watch streams are not wrapped;
// ask Unwrap for them.
func (m *Metrics) Platform(p platforms.Platform) platforms.Platform {
	t := &timedPlatform{p: p, m: m}
	if b, ok := p.(platforms.BatchStatuser); ok {
		return &timedBatchPlatform{timedPlatform: t, b: b}
	}
	return t
}

// Unwrap returns the platform a timed one wraps, or p itself.
func Unwrap(p platforms.Platform) platforms.Platform {
	if u, ok := p.(interface{ Unwrap() platforms.Platform }); ok {
		return u.Unwrap()
	}
	return p
}

type timedPlatform struct {
	p platforms.Platform
	m *Metrics
}

var (
	_ platforms.Platform      = (*timedPlatform)(nil)
	_ platforms.HostBound     = (*timedPlatform)(nil)
	_ platforms.BatchStatuser = (*timedBatchPlatform)(nil)
)

// observe records one call. A resource that is not there, or a platform
// full for a moment, is an answer, not a failure.
func (t *timedPlatform) observe(op string, start time.Time, err error) {
	name := t.p.Name()
	t.m.platformCalls.WithLabelValues(name, op).Observe(seconds(time.Since(start)))
	if err != nil && !errors.Is(err, platforms.ErrNotFound) && !errors.Is(err, platforms.ErrFull) && !errors.Is(err, context.Canceled) {
		t.m.platformErrors.WithLabelValues(name, op).Inc()
	}
}

// timed is deferred with the call's start and a pointer to its named
// error, which holds the outcome once the call has returned.
func (t *timedPlatform) timed(op string, start time.Time, err *error) { t.observe(op, start, *err) }

func (t *timedPlatform) Name() string               { return t.p.Name() }
func (t *timedPlatform) Capacity() int              { return t.p.Capacity() }
func (t *timedPlatform) Unwrap() platforms.Platform { return t.p }

// HostBound reports whether p's resources belong to this host alone.
func (t *timedPlatform) HostBound() bool {
	hb, ok := t.p.(platforms.HostBound)
	return ok && hb.HostBound()
}

func (t *timedPlatform) Deploy(ctx context.Context, spec platforms.DeploySpec) (id string, err error) {
	defer t.timed("deploy", time.Now(), &err)
	return t.p.Deploy(ctx, spec)
}

func (t *timedPlatform) Stop(ctx context.Context, id string) (err error) {
	defer t.timed("stop", time.Now(), &err)
	return t.p.Stop(ctx, id)
}

func (t *timedPlatform) Status(ctx context.Context, id string) (r platforms.Resource, err error) {
	defer t.timed("status", time.Now(), &err)
	return t.p.Status(ctx, id)
}

func (t *timedPlatform) List(ctx context.Context) (rs []platforms.Resource, err error) {
	defer t.timed("list", time.Now(), &err)
	return t.p.List(ctx)
}

type timedBatchPlatform struct {
	*timedPlatform
	b platforms.BatchStatuser
}

func (t *timedBatchPlatform) Statuses(ctx context.Context, ids []string) (out map[string]platforms.Resource, err error) {
	defer t.timed("statuses", time.Now(), &err)
	return t.b.Statuses(ctx, ids)
}
