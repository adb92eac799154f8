package httpapi

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

// awkward are strings encoding/json escapes: HTML, quotes, controls,
// non-ASCII, invalid UTF-8, the JavaScript line separators.
var awkward = []string{"", "plain", `a "quoted" \ path`, "<b>&amp;</b>", "tab\tnew\nline\x01", "café ☕", "bad \xff utf8", "\u2028\u2029", "https://meet.google.com/abc-defg-hij",
	"nul \x00 byte", "lone surrogate \xed\xa0\x80"}

// fill sets every field of v (a pointer) at random, recursively; zero
// values come up too, so omitempty is exercised both ways.
func fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(r, v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zones := []*time.Location{time.UTC, time.FixedZone("x", 2*3600), time.FixedZone("y", -(5*3600 + 30*60))}
			t := time.Unix(r.Int64N(4e9), r.Int64N(1e9)*int64(r.IntN(2))).In(zones[r.IntN(len(zones))])
			v.Set(reflect.ValueOf(t))
			return
		}
		for i := range v.NumField() {
			fill(r, v.Field(i))
		}
	case reflect.String:
		v.SetString(awkward[r.IntN(len(awkward))])
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64N(1<<40) - 1<<39)
		if r.IntN(5) == 0 {
			v.SetInt([]int64{math.MaxInt64, math.MinInt64}[r.IntN(2)])
		}
		if r.IntN(3) == 0 {
			v.SetInt(0)
		}
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Map:
		if r.IntN(4) == 0 {
			v.SetZero()
			return
		}
		m := reflect.MakeMap(v.Type())
		for range r.IntN(4) {
			m.SetMapIndex(reflect.ValueOf(awkward[r.IntN(len(awkward))]), reflect.ValueOf(awkward[r.IntN(len(awkward))]))
		}
		v.Set(m)
	case reflect.Slice: // json.RawMessage: speaker timeframes
		raws := []string{"", `[{"speaker":"A <b>","start":1,"end":2}]`, `[ 1, 2 ]`}
		v.SetBytes([]byte(raws[r.IntN(len(raws))]))
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}

func reflective(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestBotJSON_AsEncodingJSON: the bot encoder's output is byte for byte
// encoding/json's, for bots with every field filled at random.
func TestBotJSON_AsEncodingJSON(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		var b api.Bot
		fill(r, reflect.ValueOf(&b).Elem())
		if got, want := string(botJSON(b)), reflective(t, b); got != want {
			t.Fatalf("bot %d:\n got %s\nwant %s", i, got, want)
		}
	}
	for _, n := range []int{0, 1, 7} {
		l := api.List[api.Bot]{Items: make([]api.Bot, n), NextCursor: awkward[n%len(awkward)]}
		for i := range l.Items {
			fill(r, reflect.ValueOf(&l.Items[i]).Elem())
		}
		if got, want := string(*botListJSON(l).buf), reflective(t, l); got != want {
			t.Fatalf("page of %d:\n got %s\nwant %s", n, got, want)
		}
	}
	if got := string(*botListJSON(api.List[api.Bot]{}).buf); got != reflective(t, api.List[api.Bot]{}) {
		t.Fatalf("nil page: %s", got)
	}
}

// TestBotJSON_LeavesRefusedTimesToEncodingJSON: a time encoding/json
// refuses is not written by the fast path.
func TestBotJSON_LeavesRefusedTimesToEncodingJSON(t *testing.T) {
	t.Parallel()
	b := api.Bot{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, ok := appendBot(nil, b); ok {
		t.Fatal("a year past 9999 was encoded")
	}
	if got := string(botJSON(b)); got != "" {
		t.Fatalf("got %q, want the empty body encoding/json leaves", got)
	}
}
