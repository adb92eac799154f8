package superjson

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// applier walks meta.values and applies each annotation to root.
type applier struct {
	root      any
	legacy    bool
	undefined bool
	count     int
	dates     []Path
}

// values accepts both shapes superjson writes: a tree (an array) when the
// root value itself is annotated, or an object of path → tree.
func (a *applier) values(raw json.RawMessage) error {
	switch firstByte(raw) {
	case '[':
		return a.tree(raw, nil, 0)
	case '{':
		return a.record(raw, nil, 0)
	}
	return errors.New("superjson: meta.values is neither an array nor an object")
}

// record applies an object of relative path → tree below base. Keys are
// visited in sorted order so Dates comes out the same on every run.
func (a *applier) record(raw json.RawMessage, base Path, depth int) error {
	if depth > maxTreeDepth {
		return errors.New("superjson: annotations nested too deeply")
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rec); err != nil {
		return fmt.Errorf("superjson: meta.values: %w", err)
	}
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		rel, err := ParsePath(k, a.legacy)
		if err != nil {
			return err
		}
		if err := a.tree(rec[k], join(base, rel), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// tree applies one node: [type] or [type, {children}]. Children come first,
// as superjson does, because the node's own type may change its shape.
func (a *applier) tree(raw json.RawMessage, at Path, depth int) error {
	a.count++
	if a.count > MaxAnnotations || len(at) > MaxPathSegments || depth > maxTreeDepth {
		return errors.New("superjson: too many or too deep annotations")
	}
	var node []json.RawMessage
	if err := json.Unmarshal(raw, &node); err != nil || len(node) < 1 || len(node) > 2 {
		return errors.New("superjson: malformed annotation")
	}
	if len(node) == 2 {
		if err := a.record(node[1], at, depth+1); err != nil {
			return err
		}
	}
	var typ string
	if json.Unmarshal(node[0], &typ) != nil {
		return nil // composite annotations (class, custom, symbol, typed-array) are ignored
	}
	switch typ {
	case "undefined":
		a.remove(at)
	case "Date":
		return a.date(at)
	}
	return nil
}

// remove makes the value at p absent: the key goes away, an array element
// becomes null (JSON has no hole) and the root becomes undefined.
func (a *applier) remove(p Path) {
	if len(p) == 0 {
		a.root, a.undefined = nil, true
		return
	}
	parent, ok := lookup(a.root, p[:len(p)-1])
	if !ok {
		return
	}
	last := p[len(p)-1]
	switch c := parent.(type) {
	case map[string]any:
		delete(c, last)
	case []any:
		if i, ok := index(c, last); ok {
			c[i] = nil
		}
	}
}

// date records a Date annotation. The value must be a string; turning it
// into a time is left to the consumer's time.Time field.
func (a *applier) date(p Path) error {
	v, ok := lookup(a.root, p)
	if !ok {
		return nil
	}
	if _, isString := v.(string); !isString {
		return fmt.Errorf("superjson: Date at %q is not a string", p.String())
	}
	a.dates = append(a.dates, p)
	return nil
}

// lookup finds the value at p below v.
func lookup(v any, p Path) (any, bool) {
	for _, seg := range p {
		switch c := v.(type) {
		case map[string]any:
			next, ok := c[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, ok := index(c, seg)
			if !ok {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func index(arr []any, seg string) (int, bool) {
	i, err := strconv.Atoi(seg)
	return i, err == nil && i >= 0 && i < len(arr)
}

func firstByte(raw json.RawMessage) byte {
	for _, c := range raw {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}
