package superjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// undefinedValue is the type of Undefined.
type undefinedValue struct{}

// Undefined encodes as JavaScript's undefined: a JSON null annotated
// ["undefined"]. A void procedure answers it, as the reference server does.
var Undefined = undefinedValue{}

// maxEncodeDepth stops a cyclic value from recursing forever.
const maxEncodeDepth = 64

var (
	timeType      = reflect.TypeFor[time.Time]()
	undefinedType = reflect.TypeFor[undefinedValue]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// FormatTime formats t as JavaScript's Date.prototype.toISOString does (UTC,
// milliseconds, "Z"), the only form the bots ever send or expect.
func FormatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// Encode writes v as a superjson envelope. Go values map to JSON as with
// encoding/json (json tags, omitempty, omitzero, embedded structs), and:
//   - every time.Time is written as an ISO string annotated ["Date"];
//   - a nil pointer, interface, slice or map in a struct field tagged
//     `superjson:"optional"` is written as null annotated ["undefined"],
//     which is how superjson sends an absent optional property;
//   - NaN and ±Inf are written as strings annotated ["number"];
//   - Undefined is written as null annotated ["undefined"].
//
// meta is present only when something is annotated, with "v":1 as superjson
// 2.x writes it, and annotations keep the order of the fields.
func Encode(v any) ([]byte, error) {
	var e encoder
	if err := e.value(reflect.ValueOf(v), nil, 0); err != nil {
		return nil, err
	}
	return e.envelope(), nil
}

// annotation is one meta.values entry.
type annotation struct {
	path Path
	typ  string
}

type encoder struct {
	buf   bytes.Buffer
	notes []annotation
}

func (e *encoder) note(at Path, typ string) {
	e.notes = append(e.notes, annotation{path: append(Path(nil), at...), typ: typ})
}

// envelope assembles {"json":…,"meta":{"values":…,"v":1}}.
func (e *encoder) envelope() []byte {
	var out bytes.Buffer
	out.Grow(e.buf.Len() + 16 + 32*len(e.notes))
	out.WriteString(`{"json":`)
	out.Write(e.buf.Bytes())
	if len(e.notes) > 0 {
		out.WriteString(`,"meta":{"values":`)
		e.writeValues(&out)
		out.WriteString(`,"v":1}`)
	}
	out.WriteByte('}')
	return out.Bytes()
}

// writeValues writes a root annotation as a tree and the rest as an object
// of path → tree.
func (e *encoder) writeValues(out *bytes.Buffer) {
	if len(e.notes) == 1 && len(e.notes[0].path) == 0 {
		out.WriteString(`["` + e.notes[0].typ + `"]`)
		return
	}
	out.WriteByte('{')
	for i, n := range e.notes {
		if i > 0 {
			out.WriteByte(',')
		}
		writeString(out, n.path.String())
		out.WriteString(`:["` + n.typ + `"]`)
	}
	out.WriteByte('}')
}

// value writes v at path at.
func (e *encoder) value(v reflect.Value, at Path, depth int) error {
	if depth > maxEncodeDepth {
		return errors.New("superjson: value nested too deeply")
	}
	if !v.IsValid() {
		e.buf.WriteString("null")
		return nil
	}
	switch v.Type() {
	case timeType:
		writeString(&e.buf, FormatTime(v.Interface().(time.Time)))
		e.note(at, "Date")
		return nil
	case undefinedType:
		e.buf.WriteString("null")
		e.note(at, "undefined")
		return nil
	}
	if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && v.Type().Implements(marshalerType) {
		return e.marshaler(v)
	}
	return e.kind(v, at, depth)
}

// marshaler writes a value with its own MarshalJSON, compacted.
func (e *encoder) marshaler(v reflect.Value) error {
	raw, err := v.Interface().(json.Marshaler).MarshalJSON()
	if err != nil {
		return fmt.Errorf("superjson: %w", err)
	}
	if err := json.Compact(&e.buf, raw); err != nil {
		return fmt.Errorf("superjson: %w", err)
	}
	return nil
}

// kind writes v by its reflect kind.
func (e *encoder) kind(v reflect.Value, at Path, depth int) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.buf.WriteString("null")
			return nil
		}
		return e.value(v.Elem(), at, depth+1)
	case reflect.Struct:
		return e.object(v, at, depth)
	case reflect.Map:
		return e.mapValue(v, at, depth)
	case reflect.Slice:
		if v.IsNil() {
			e.buf.WriteString("null")
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return e.scalar(v.Interface())
		}
		return e.array(v, at, depth)
	case reflect.Array:
		return e.array(v, at, depth)
	case reflect.String:
		writeString(&e.buf, v.String())
		return nil
	case reflect.Bool:
		e.buf.WriteString(strconv.FormatBool(v.Bool()))
		return nil
	case reflect.Float32, reflect.Float64:
		return e.float(v.Float(), at)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return e.scalar(v.Interface())
	}
	return fmt.Errorf("superjson: cannot encode %s", v.Type())
}

// float writes a number; NaN and ±Inf, which JSON cannot hold, become the
// strings superjson uses with a ["number"] annotation.
func (e *encoder) float(f float64, at Path) error {
	switch {
	case math.IsNaN(f):
		writeString(&e.buf, "NaN")
	case math.IsInf(f, 1):
		writeString(&e.buf, "Infinity")
	case math.IsInf(f, -1):
		writeString(&e.buf, "-Infinity")
	default:
		return e.scalar(f)
	}
	e.note(at, "number")
	return nil
}

func (e *encoder) scalar(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("superjson: %w", err)
	}
	e.buf.Write(raw)
	return nil
}
