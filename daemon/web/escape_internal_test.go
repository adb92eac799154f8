package web

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

// pageSamples holds one value of the data each page is given.
var pageSamples = map[string]any{
	"bots": botsData{}, "bot": botData{}, "error": problem{}, "secret": secretView{},
	"newbot": newBotForm{}, "keys": &keysData{}, "users": &usersData{},
	"pool": poolData{}, "usage": usageData{}, "signin": signinData{}, "link": signinData{},
}

// TestPages_EscapeEveryValue writes every page with every string of its
// data (and of the signed-in user and the flash) set to markup that
// would break out of text or of a quoted attribute, and with every
// pointer, slice and map filled, so each branch that shows a value runs.
// No page may let it through; none may link a javascript: URL.
func TestPages_EscapeEveryValue(t *testing.T) {
	t.Parallel()
	for page := range pageWriters {
		if _, ok := pageSamples[page]; !ok {
			t.Errorf("page %q has no sample data in this test", page)
		}
	}
	for _, hostile := range []string{`"'><x-inj a='1'>&amp;`, "javascript:alert(1)"} {
		for page, sample := range pageSamples {
			out := writePage(t, page, sample, hostile)
			if strings.Contains(out, "<x-inj") {
				i := strings.Index(out, "<x-inj")
				t.Errorf("page %s lets markup through: …%s…", page, out[max(0, i-120):i+20])
			}
			for _, attr := range []string{`href="javascript:`, `src="javascript:`, `action="javascript:`} {
				if strings.Contains(out, attr) {
					t.Errorf("page %s links %s…", page, attr)
				}
			}
			if hostile == "javascript:alert(1)" && !strings.Contains(out, hostile) {
				t.Errorf("page %s shows none of its data: the sample does not reach it", page)
			}
		}
	}
}

func writePage(t *testing.T, page string, sample any, s string) string {
	t.Helper()
	data := reflect.New(reflect.TypeOf(sample)).Elem()
	fill(data, s, 0)
	u := store.User{}
	fill(reflect.ValueOf(&u).Elem(), s, 0)
	fr := frame{Title: s, Nav: "bots", Version: s, User: &u, Admin: true, CSRF: s, Flash: flash{Kind: "error", Text: s}, Data: data.Interface()}
	d := &doc{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	d.layout(&fr, func() { pageWriters[page](d, &fr) })
	return d.String()
}

// fill sets every string under v to s, every number to 1, every time to a
// fixed one, and gives pointers, slices and maps one filled element.
func fill(v reflect.Value, s string, depth int) {
	if depth > 6 || !v.CanSet() {
		return
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2029, 12, 31, 23, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), s, depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), s, depth+1)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte(s))
			return
		}
		sl := reflect.MakeSlice(v.Type(), 1, 1)
		fill(sl.Index(0), s, depth+1)
		v.Set(sl)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), s, depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, s, depth+1)
		fill(e, s, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(s))
		}
	}
}
