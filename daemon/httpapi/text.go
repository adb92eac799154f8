package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/daemon/domain"
)

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// checkText walks a decoded request and names every string (map keys
// included) or raw JSON member that holds text the store cannot keep the
// same way on both engines: NUL characters, invalid UTF-8, lone
// surrogates. Checking every field here means no handler can forget one.
func checkText(v any) error {
	val := &domain.Validator{}
	walkText(val, reflect.ValueOf(v), "")
	return val.Err()
}

func walkText(v *domain.Validator, x reflect.Value, path string) {
	switch x.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !x.IsNil() {
			walkText(v, x.Elem(), path)
		}
	case reflect.String:
		v.Text(x.String(), path)
	case reflect.Struct:
		walkFields(v, x, path)
	case reflect.Map:
		for _, k := range x.MapKeys() {
			field := join(path, k.String())
			v.Text(k.String(), field)
			walkText(v, x.MapIndex(k), field)
		}
	case reflect.Slice:
		if x.Type() == rawMessageType {
			v.Check(domain.ValidJSONText(x.Bytes()), path, "must be JSON without NUL characters or lone surrogates")
			return
		}
		for i := range x.Len() {
			walkText(v, x.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
	}
}

func walkFields(v *domain.Validator, x reflect.Value, path string) {
	t := x.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "":
			walkText(v, x.Field(i), path)
			continue
		case name == "":
			name = f.Name
		}
		walkText(v, x.Field(i), join(path, name))
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkQuery refuses a query parameter or path that is not storable text:
// it would otherwise reach a filter, or the request log.
func checkQuery(r *http.Request) error {
	v := &domain.Validator{}
	for name, values := range r.URL.Query() {
		v.Text(name, name)
		for _, val := range values {
			v.Text(val, name)
		}
	}
	v.Check(domain.ValidText(r.URL.Path), "path", "must be UTF-8 text without NUL characters")
	return v.Err()
}
