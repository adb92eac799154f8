// Package superjson reads and writes the superjson envelopes that the
// Meeboter bots put around every tRPC input, output and error:
// {"json": <plain JSON>, "meta": {"values": <annotations>, "v": 1}}.
//
// Only what the bots need is interpreted: "undefined" markers (a null that
// means "absent") and "Date" markers (an ISO-8601 string that is a Date).
// Every other annotation superjson can produce is tolerated and ignored, so
// a free-form log context holding a Map or a BigInt does not fail a call.
package superjson

import (
	"errors"
	"strings"
)

// Path addresses a value inside the "json" part of an envelope: object keys
// and array indices (as decimal strings), from the root down.
type Path []string

// errInvalidPath is returned for a path with a dangling or unknown escape.
var errInvalidPath = errors.New("superjson: invalid path")

// ParsePath splits a superjson path such as `entries.0.timestamp` or
// `a\.b.c` into its segments. superjson escapes "." and "\" inside keys with
// a backslash; envelopes without "v" (written by superjson 1.x) only escape
// ".", which legacy selects.
func ParsePath(s string, legacy bool) (Path, error) {
	var out Path
	var seg strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '.':
			seg.WriteByte('.')
			i++
		case c == '\\' && !legacy && i+1 < len(s) && s[i+1] == '\\':
			seg.WriteByte('\\')
			i++
		case c == '\\' && !legacy:
			return nil, errInvalidPath
		case c == '.':
			out = append(out, seg.String())
			seg.Reset()
		default:
			seg.WriteByte(c)
		}
	}
	return append(out, seg.String()), nil
}

// String formats p the way superjson 2.x writes it into meta.values.
func (p Path) String() string {
	parts := make([]string, len(p))
	for i, seg := range p {
		seg = strings.ReplaceAll(seg, `\`, `\\`)
		parts[i] = strings.ReplaceAll(seg, `.`, `\.`)
	}
	return strings.Join(parts, ".")
}

// join returns base followed by rel, without aliasing base's array.
func join(base, rel Path) Path {
	out := make(Path, 0, len(base)+len(rel))
	return append(append(out, base...), rel...)
}
