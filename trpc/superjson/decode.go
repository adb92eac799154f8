package superjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Limits of Decode. They are far above what a bot sends (a log stream of 500
// entries carries about 1000 annotations) and keep a hostile envelope from
// costing more than its size.
const (
	MaxEnvelopeBytes = 16 << 20
	MaxAnnotations   = 1 << 16
	MaxPathSegments  = 256
	maxTreeDepth     = 32
)

// Decoded is an envelope with its annotations applied.
type Decoded struct {
	// JSON is the plain value: object keys marked undefined are removed,
	// array elements marked undefined are null and Dates stay ISO-8601
	// strings, so the value unmarshals directly into Go structs with
	// time.Time fields. It is "null" when the value is absent.
	JSON json.RawMessage
	// Dates lists the paths annotated as Date.
	Dates []Path
	// Undefined reports that the whole value was absent (undefined in
	// JavaScript), which is how superjson sends a void result.
	Undefined bool
}

// IsDate reports whether the value at path p was annotated as a Date. A
// client uses it to reject a Date the server forgot to annotate, which the
// real bot would receive as a plain string.
func (d Decoded) IsDate(p ...string) bool {
	for _, got := range d.Dates {
		if equalPath(got, p) {
			return true
		}
	}
	return false
}

type envelope struct {
	JSON json.RawMessage `json:"json"`
	Meta *struct {
		Values json.RawMessage `json:"values"`
		V      json.RawMessage `json:"v"`
	} `json:"meta"`
}

// Decode parses one superjson envelope. A missing "json" key means an
// undefined value, as in superjson itself.
func Decode(data []byte) (Decoded, error) {
	if len(data) > MaxEnvelopeBytes {
		return Decoded{}, fmt.Errorf("superjson: envelope larger than %d bytes", MaxEnvelopeBytes)
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return Decoded{}, errors.New("superjson: envelope is not an object")
	}
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return Decoded{}, fmt.Errorf("superjson: %w", err)
	}
	if env.JSON == nil {
		return Decoded{JSON: json.RawMessage("null"), Undefined: true}, nil
	}
	if env.Meta == nil || isNull(env.Meta.Values) {
		return Decoded{JSON: env.JSON}, nil
	}
	return annotate(env.JSON, env.Meta.Values, isNull(env.Meta.V))
}

// annotate applies meta.values to the json part and re-encodes it.
func annotate(raw, values json.RawMessage, legacy bool) (Decoded, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return Decoded{}, fmt.Errorf("superjson: %w", err)
	}
	a := applier{root: root, legacy: legacy}
	if err := a.values(values); err != nil {
		return Decoded{}, err
	}
	if a.undefined {
		return Decoded{JSON: json.RawMessage("null"), Dates: a.dates, Undefined: true}, nil
	}
	out, err := marshal(a.root)
	if err != nil {
		return Decoded{}, err
	}
	return Decoded{JSON: out, Dates: a.dates}, nil
}

// marshal encodes v without HTML escaping, as JSON.stringify does.
func marshal(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("superjson: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

func equalPath(a Path, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
