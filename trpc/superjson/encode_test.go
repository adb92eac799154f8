package superjson

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

type inner struct {
	At   time.Time `json:"at"`
	Note *string   `json:"note" superjson:"optional"`
}

type Embedded struct {
	E string `json:"e"`
}

type outer struct {
	Embedded
	ID      int64           `json:"id"`
	Items   []inner         `json:"items"`
	Skip    string          `json:"-"`
	Empty   string          `json:"empty,omitempty"`
	Raw     json.RawMessage `json:"raw"`
	Ratio   float64         `json:"ratio"`
	ByKey   map[string]any  `json:"byKey"`
	private int
}

func TestEncode(t *testing.T) {
	at := time.Date(2025, 12, 28, 11, 0, 0, 5e6, time.FixedZone("x", 3600))
	note := "a<b>&\"c\"\n"
	v := outer{
		Embedded: Embedded{E: "e"}, ID: 7,
		Items: []inner{{At: at}, {At: at, Note: &note}},
		Raw:   json.RawMessage(`{ "k" : 1 }`), Ratio: math.NaN(),
		ByKey: map[string]any{"z.z": at, "a": nil}, private: 1,
	}
	got, err := Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"json":{"e":"e","id":7,"items":[{"at":"2025-12-28T10:00:00.005Z","note":null},{"at":"2025-12-28T10:00:00.005Z","note":"a<b>&\"c\"\n"}],"raw":{"k":1},"ratio":"NaN","byKey":{"a":null,"z.z":"2025-12-28T10:00:00.005Z"}},` +
		`"meta":{"values":{"items.0.at":["Date"],"items.0.note":["undefined"],"items.1.at":["Date"],"ratio":["number"],"byKey.z\\.z":["Date"]},"v":1}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestEncodeRoots(t *testing.T) {
	var nilMsg *inner
	tests := []struct {
		v    any
		want string
	}{
		{nil, `{"json":null}`},
		{nilMsg, `{"json":null}`},
		{Undefined, `{"json":null,"meta":{"values":["undefined"],"v":1}}`},
		{time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), `{"json":"2025-01-02T03:04:05.000Z","meta":{"values":["Date"],"v":1}}`},
		{math.Inf(-1), `{"json":"-Infinity","meta":{"values":["number"],"v":1}}`},
		{[]byte("hi"), `{"json":"aGk="}`},
		{"\x01\xff", `{"json":"\u0001` + "\uFFFD" + `"}`},
	}
	for _, tt := range tests {
		got, err := Encode(tt.v)
		if err != nil || string(got) != tt.want {
			t.Errorf("Encode(%#v) = %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	at := time.Date(2025, 12, 28, 10, 0, 0, 0, time.UTC)
	env, err := Encode(inner{At: at})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(env)
	if err != nil {
		t.Fatal(err)
	}
	var back inner
	if err := json.Unmarshal(d.JSON, &back); err != nil || !back.At.Equal(at) || back.Note != nil || !d.IsDate("at") {
		t.Errorf("round trip = %+v, %v (dates %q)", back, err, d.Dates)
	}
}

func TestEncodeRejects(t *testing.T) {
	type cyclic struct {
		Next *cyclic `json:"next"`
	}
	c := &cyclic{}
	c.Next = c
	for _, v := range []any{make(chan int), map[int]string{1: "a"}, c} {
		if _, err := Encode(v); err == nil {
			t.Errorf("Encode(%T) accepted", v)
		}
	}
}
