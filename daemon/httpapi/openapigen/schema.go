package openapigen

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// obj is a JSON object of the OpenAPI document. Building the document from
// maps rather than structs keeps its output deterministic: encoding/json
// writes map keys sorted.
type obj = map[string]any

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// schemaSet turns Go wire types into JSON Schemas (draft 2020-12, the
// dialect of OpenAPI 3.1) by reading their json tags, the way
// encoding/json reads them. Named types become components referenced by
// $ref, so each shape is described once.
type schemaSet struct {
	components obj
	names      map[reflect.Type]string
	err        error // the first two types that wanted one name
}

func newSchemaSet() *schemaSet {
	s := &schemaSet{components: obj{}, names: map[reflect.Type]string{}}
	for name, e := range enumComponents() {
		s.components[name] = e.schema()
		if e.goType != nil {
			s.names[e.goType] = name
		}
	}
	return s
}

// of is the schema of values of type t.
func (s *schemaSet) of(t reflect.Type) obj {
	if name, ok := s.names[t]; ok {
		return schemaRef(name)
	}
	switch t {
	case timeType:
		return obj{"type": "string", "format": "date-time"}
	case rawType:
		return obj{"description": "Any JSON value."}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem())
	case reflect.Struct:
		return s.structRef(t)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return obj{"type": "string", "contentEncoding": "base64"}
		}
		return obj{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		return s.mapSchema(t)
	}
	return scalarSchema(t.Kind())
}

func (s *schemaSet) mapSchema(t reflect.Type) obj {
	out := obj{"type": "object", "additionalProperties": s.of(t.Elem())}
	if _, ok := s.names[t.Key()]; ok {
		out["propertyNames"] = s.of(t.Key())
	}
	return out
}

// scalarSchema maps Go's basic kinds. Go's int is 64 bits wide on every
// platform the daemon runs on, so both int and int64 are int64.
func scalarSchema(k reflect.Kind) obj {
	switch k {
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Int, reflect.Int64:
		return obj{"type": "integer", "format": "int64"}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return obj{"type": "integer", "format": "int32"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer", "minimum": 0}
	case reflect.Float32:
		return obj{"type": "number", "format": "float"}
	case reflect.Float64:
		return obj{"type": "number", "format": "double"}
	}
	return obj{}
}

// structRef describes a struct: a named one once under components (its
// name is claimed before its fields are walked, so recursive types end),
// an anonymous one inline.
func (s *schemaSet) structRef(t reflect.Type) obj {
	if t.Name() == "" {
		return s.object(t)
	}
	name := componentName(t)
	if _, taken := s.components[name]; taken && s.err == nil {
		s.err = fmt.Errorf("openapi: %v and another type are both named %s", t, name)
	}
	s.names[t] = name
	s.components[name] = s.object(t)
	return schemaRef(name)
}

func (s *schemaSet) object(t reflect.Type) obj {
	props, required := obj{}, []string{}
	s.addFields(t, props, &required)
	out := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// addFields adds the JSON members of struct t. Embedded structs without a
// json name are flattened, as encoding/json does. A member is required
// when it is always sent: no omitempty and not a pointer.
func (s *schemaSet) addFields(t reflect.Type, props obj, required *[]string) {
	for f := range t.Fields() {
		name, opts, skip := jsonName(f)
		if skip {
			continue
		}
		if embedded := derefStruct(f.Type); f.Anonymous && name == "" && embedded != nil {
			s.addFields(embedded, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = s.field(t, f, name, opts)
		if !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
}

// field is the schema of one member. A pointer without omitempty is sent
// as null when unset, so null is one of its values.
func (s *schemaSet) field(owner reflect.Type, f reflect.StructField, name, opts string) obj {
	var sch obj
	if enum, ok := fieldEnums[owner.Name()+"."+name]; ok {
		sch = schemaRef(enum)
	} else if strings.Contains(","+opts+",", ",string,") {
		sch = obj{"type": "string"}
	} else {
		sch = s.of(f.Type)
	}
	if limits, ok := fieldLimits[owner.Name()+"."+name]; ok {
		sch = withLimits(sch, limits)
	}
	if f.Type.Kind() == reflect.Pointer && !strings.Contains(opts, "omitempty") {
		return nullable(sch)
	}
	return sch
}

// withLimits adds the server's limits to a member's schema. A reference
// keeps its target and gains the limits beside it, as OpenAPI 3.1 allows.
func withLimits(sch, limits obj) obj {
	out := obj{}
	for k, v := range sch {
		out[k] = v
	}
	for k, v := range limits {
		out[k] = v
	}
	return out
}

// jsonName reads a field's json tag: its name (empty when the tag gives
// none), its options, and whether encoding/json skips the field.
func jsonName(f reflect.StructField) (name, opts string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" || (!f.IsExported() && !f.Anonymous) {
		return "", "", true
	}
	name, opts, _ = strings.Cut(tag, ",")
	return name, opts, false
}

// derefStruct is the struct type t is or points to, or nil.
func derefStruct(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	return t
}

func nullable(sch obj) obj {
	if t, ok := sch["type"].(string); ok {
		out := obj{}
		for k, v := range sch {
			out[k] = v
		}
		out["type"] = []string{t, "null"}
		return out
	}
	return obj{"anyOf": []any{sch, obj{"type": "null"}}}
}

func schemaRef(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

// componentName names a type's component. Instances of generic types are
// named after their arguments: List[api.Bot] is BotList.
func componentName(t reflect.Type) string {
	name := t.Name()
	base, args, ok := strings.Cut(name, "[")
	if !ok {
		return name
	}
	var out strings.Builder
	for arg := range strings.SplitSeq(strings.TrimSuffix(args, "]"), ",") {
		arg = arg[strings.LastIndex(arg, ".")+1:]
		out.WriteString(strings.TrimLeft(arg, "*[]"))
	}
	return out.String() + base
}
