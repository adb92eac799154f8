package daemon

import (
	"context"
	"log/slog"
	"time"

	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/platforms"
)

// watch turns a platform's pushed resource changes into bot state at once
// (a failed pod is a FATAL bot within seconds), restarting the watch if it
// breaks.
type watch struct {
	name string
	w    platforms.Watcher
	life *lifecycle.Service
	log  *slog.Logger
}

func (w *watch) Run(ctx context.Context) {
	for ctx.Err() == nil {
		err := w.w.Watch(ctx, func(res platforms.Resource) { w.life.OnResource(ctx, w.name, res) })
		if ctx.Err() != nil {
			return
		}
		w.log.Warn("platform watch ended; restarting", "platform", w.name, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}
