package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"

	"github.com/meeboter/meeboter/api"
)

// The bot logs at the six levels of the bot protocol; slog has four, so
// TRACE and FATAL sit below DEBUG and above ERROR.
const (
	LevelTrace = slog.Level(-8)
	LevelFatal = slog.Level(12)
)

// levelName maps a slog level to the protocol's level names.
func levelName(l slog.Level) string {
	switch {
	case l < slog.LevelDebug:
		return "TRACE"
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARN"
	case l < LevelFatal:
		return "ERROR"
	}
	return "FATAL"
}

// parseLevel reads a level name sent by the daemon; ok is false for names
// it does not know, which the bot ignores, as the real ones do.
func parseLevel(name string) (slog.Level, bool) {
	for _, l := range []slog.Level{LevelTrace, slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, LevelFatal} {
		if strings.EqualFold(name, levelName(l)) {
			return l, true
		}
	}
	return 0, false
}

// logHandler writes each record twice: as a human line to stdout, filtered
// by the console level the daemon chooses, and as an entry for the daemon,
// at every level (the console level never filters what is shipped).
type logHandler struct {
	console slog.Handler
	ship    *shipper
	attrs   []slog.Attr // from WithAttrs, keys already prefixed by groups
	prefix  string      // open groups, "a.b."
}

func newLogHandler(w io.Writer, level slog.Leveler, ship *shipper) *logHandler {
	return &logHandler{console: consoleHandler(w, level), ship: ship}
}

// consoleHandler writes human lines with the protocol's level names.
func consoleHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if l, ok := a.Value.Any().(slog.Level); ok && a.Key == slog.LevelKey && len(groups) == 0 {
				a.Value = slog.StringValue(levelName(l))
			}
			return a
		},
	})
}

func (h *logHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	if h.console.Enabled(ctx, r.Level) {
		_ = h.console.Handle(ctx, r) // stdout going away must not stop the bot
	}
	fields := map[string]any{}
	for _, a := range h.attrs {
		fields[a.Key] = a.Value.Resolve().Any()
	}
	r.Attrs(func(a slog.Attr) bool {
		fields[h.prefix+a.Key] = a.Value.Resolve().Any()
		return true
	})
	entry := api.AgentLogEntry{Time: r.Time.UTC(), Level: levelName(r.Level), Message: r.Message}
	if len(fields) > 0 {
		entry.Fields, _ = json.Marshal(fields)
	}
	h.ship.add(entry)
	return nil
}

func (h *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.console = h.console.WithAttrs(attrs)
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		c.attrs = append(c.attrs, slog.Attr{Key: h.prefix + a.Key, Value: a.Value})
	}
	return &c
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.console = h.console.WithGroup(name)
	c.prefix = h.prefix + name + "."
	return &c
}
