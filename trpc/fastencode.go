package trpc

import "github.com/meeboter/meeboter/trpc/superjson"

// encode is superjson.Encode with a direct path for the heartbeat answer,
// the call every bot makes every few seconds: it is written without
// reflection whenever its log level needs no escaping (always, for the
// levels a bot may be given).
func encode(v any) ([]byte, error) {
	if hb, ok := v.(Heartbeat); ok {
		if b, ok := hb.envelope(); ok {
			return b, nil
		}
	}
	return superjson.Encode(v)
}

// envelope writes the heartbeat's superjson envelope, byte for byte what
// superjson.Encode writes; ok is false for a level it cannot write plainly.
func (h Heartbeat) envelope() (b []byte, ok bool) {
	b = make([]byte, 0, 64)
	b = append(b, `{"json":{"shouldLeave":`...)
	if h.ShouldLeave {
		b = append(b, "true"...)
	} else {
		b = append(b, "false"...)
	}
	b = append(b, `,"logLevel":`...)
	if h.LogLevel == nil {
		return append(b, "null}}"...), true
	}
	for _, c := range []byte(*h.LogLevel) {
		if !plain(c) {
			return nil, false
		}
	}
	b = append(b, '"')
	b = append(b, *h.LogLevel...)
	return append(b, `"}}`...), true
}

// plain reports whether JSON writes the byte as itself inside a string.
func plain(c byte) bool {
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}
