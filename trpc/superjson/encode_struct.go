package superjson

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// field is one struct field as encoding/json would see it.
type field struct {
	name      string
	omitEmpty bool
	omitZero  bool
	optional  bool
}

// parseField reads the json and superjson tags of f; ok is false for a
// field encoding/json would skip.
func parseField(f reflect.StructField) (field, bool) {
	tag := f.Tag.Get("json")
	if tag == "-" || !f.IsExported() {
		return field{}, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	out := field{name: name, optional: f.Tag.Get("superjson") == "optional"}
	for _, o := range strings.Split(opts, ",") {
		out.omitEmpty = out.omitEmpty || o == "omitempty"
		out.omitZero = out.omitZero || o == "omitzero"
	}
	return out, true
}

// object writes a struct as a JSON object.
func (e *encoder) object(v reflect.Value, at Path, depth int) error {
	e.buf.WriteByte('{')
	first := true
	if err := e.fields(v, at, depth, &first); err != nil {
		return err
	}
	e.buf.WriteByte('}')
	return nil
}

// fields writes the fields of v, flattening untagged embedded structs as
// encoding/json does (without its rules for conflicting names).
func (e *encoder) fields(v reflect.Value, at Path, depth int, first *bool) error {
	t := v.Type()
	for i := range t.NumField() {
		sf, fv := t.Field(i), v.Field(i)
		if sf.Anonymous && sf.Tag.Get("json") == "" && sf.Type.Kind() == reflect.Struct {
			if err := e.fields(fv, at, depth, first); err != nil {
				return err
			}
			continue
		}
		f, ok := parseField(sf)
		if !ok || (f.omitEmpty && isEmpty(fv)) || (f.omitZero && fv.IsZero()) {
			continue
		}
		if !*first {
			e.buf.WriteByte(',')
		}
		*first = false
		writeString(&e.buf, f.name)
		e.buf.WriteByte(':')
		if err := e.member(fv, f, join(at, Path{f.name}), depth); err != nil {
			return err
		}
	}
	return nil
}

// member writes one field value, marking an absent optional one undefined.
func (e *encoder) member(v reflect.Value, f field, at Path, depth int) error {
	if f.optional && isNil(v) {
		e.buf.WriteString("null")
		e.note(at, "undefined")
		return nil
	}
	return e.value(v, at, depth+1)
}

// mapValue writes a map with string keys, sorted as encoding/json does.
func (e *encoder) mapValue(v reflect.Value, at Path, depth int) error {
	if v.IsNil() {
		e.buf.WriteString("null")
		return nil
	}
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("superjson: cannot encode map with %s keys", v.Type().Key())
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	e.buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		writeString(&e.buf, k.String())
		e.buf.WriteByte(':')
		if err := e.value(v.MapIndex(k), join(at, Path{k.String()}), depth+1); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}

// array writes a slice or array.
func (e *encoder) array(v reflect.Value, at Path, depth int) error {
	e.buf.WriteByte('[')
	for i := range v.Len() {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		if err := e.value(v.Index(i), join(at, Path{strconv.Itoa(i)}), depth+1); err != nil {
			return err
		}
	}
	e.buf.WriteByte(']')
	return nil
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}

// isEmpty is encoding/json's definition of an empty value for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// writeString quotes s as JSON.stringify does: only '"', '\' and control
// characters are escaped (no HTML escaping); invalid UTF-8 becomes U+FFFD.
func writeString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"' || r == '\\':
			buf.WriteByte('\\')
			buf.WriteByte(byte(r))
		case r == '\n':
			buf.WriteString(`\n`)
		case r == '\r':
			buf.WriteString(`\r`)
		case r == '\t':
			buf.WriteString(`\t`)
		case r == '\b':
			buf.WriteString(`\b`)
		case r == '\f':
			buf.WriteString(`\f`)
		case r < 0x20:
			buf.WriteString(`\u00`)
			buf.WriteByte(hex[r>>4])
			buf.WriteByte(hex[r&0xf])
		default:
			buf.WriteRune(r)
		}
	}
	buf.WriteByte('"')
}
