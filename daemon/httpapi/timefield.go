package httpapi

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
)

var timeType = reflect.TypeFor[time.Time]()

// timeFieldError names the member of body that is not an RFC 3339 time:
// the JSON decoder reports a bad time without saying where it was. It
// walks v's type for its time fields and the body's value along them.
func timeFieldError(body []byte, v any) error {
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		if field := badTime(reflect.TypeOf(v), doc, ""); field != "" {
			return domain.Invalid(field, "must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
		}
	}
	return errBadRequest("a time is not RFC 3339")
}

// badTime returns the path of the first value under doc, typed t, that
// should be a time and does not parse as one; "" when there is none.
func badTime(t reflect.Type, doc any, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		s, ok := doc.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			return path
		}
	case t.Kind() == reflect.Struct:
		obj, _ := doc.(map[string]any)
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				if p := badTime(f.Type, doc, path); p != "" {
					return p
				}
				continue
			}
			if child, ok := obj[name]; ok && child != nil && name != "-" {
				if p := badTime(f.Type, child, join(path, name)); p != "" {
					return p
				}
			}
		}
	case t.Kind() == reflect.Slice:
		items, _ := doc.([]any)
		for i, item := range items {
			if p := badTime(t.Elem(), item, path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	}
	return ""
}
