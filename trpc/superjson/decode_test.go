package superjson

import (
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, want string
		undefined      bool
		dates          []string
	}{
		{"plain", `{"json":{"id":"123"}}`, `{"id":"123"}`, false, nil},
		{"no json key", `{}`, `null`, true, nil},
		{"root undefined", `{"json":null,"meta":{"values":["undefined"],"v":1}}`, `null`, true, nil},
		{"root date", `{"json":"2025-12-28T10:00:00.000Z","meta":{"values":["Date"],"v":1}}`, `"2025-12-28T10:00:00.000Z"`, false, []string{""}},
		{"nested date and undefined",
			`{"json":{"id":"1","event":{"eventTime":"2025-12-28T10:00:00.000Z","data":{"description":"x","sub_code":null}}},"meta":{"values":{"event.eventTime":["Date"],"event.data.sub_code":["undefined"]},"v":1}}`,
			`{"event":{"data":{"description":"x"},"eventTime":"2025-12-28T10:00:00.000Z"},"id":"1"}`, false, []string{"event.eventTime"}},
		{"array index", `{"json":{"e":[{"c":null,"t":"x"},{"c":1}]},"meta":{"values":{"e.0.c":["undefined"],"e.0.t":["Date"]},"v":1}}`,
			`{"e":[{"t":"x"},{"c":1}]}`, false, []string{"e.0.t"}},
		{"undefined array element", `{"json":[1,null],"meta":{"values":{"1":["undefined"]},"v":1}}`, `[1,null]`, false, nil},
		{"escaped key", `{"json":{"a.b":null,"c":1},"meta":{"values":{"a\\.b":["undefined"]},"v":1}}`, `{"c":1}`, false, nil},
		{"unknown annotations", `{"json":{"n":"NaN","b":"1","m":[["k",1]],"s":[1],"r":"/x/","e":{"name":"E"}},"meta":{"values":{"n":["number"],"b":["bigint"],"m":["map"],"s":["set"],"r":["regexp"],"e":["Error"]},"referentialEqualities":{"a":["b"]},"v":1}}`,
			`{"b":"1","e":{"name":"E"},"m":[["k",1]],"n":"NaN","r":"/x/","s":[1]}`, false, nil},
		{"tree with children", `{"json":{"m":[["k","2025-12-28T10:00:00.000Z"]]},"meta":{"values":{"m":["map",{"0.1":["Date"]}]},"v":1}}`,
			`{"m":[["k","2025-12-28T10:00:00.000Z"]]}`, false, []string{"m.0.1"}},
		{"composite annotation", `{"json":{"x":1},"meta":{"values":{"x":[["custom","Decimal"]]},"v":1}}`, `{"x":1}`, false, nil},
		{"missing path ignored", `{"json":{"a":1},"meta":{"values":{"b.c":["undefined"],"d":["Date"]},"v":1}}`, `{"a":1}`, false, nil},
		{"legacy path", `{"json":{"a\\b":null},"meta":{"values":{"a\\b":["undefined"]}}}`, `{}`, false, nil},
		{"big number kept", `{"json":{"n":12345678901234567890},"meta":{"values":{},"v":1}}`, `{"n":12345678901234567890}`, false, nil},
		{"no html escaping", `{"json":{"m":"<a&b>","x":null},"meta":{"values":{"x":["undefined"]},"v":1}}`, `{"m":"<a&b>"}`, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(d.JSON) != tt.want || d.Undefined != tt.undefined {
				t.Errorf("got %s undefined=%v, want %s undefined=%v", d.JSON, d.Undefined, tt.want, tt.undefined)
			}
			if len(d.Dates) != len(tt.dates) {
				t.Fatalf("dates %q, want %q", d.Dates, tt.dates)
			}
			for i, p := range d.Dates {
				if p.String() != tt.dates[i] {
					t.Errorf("date %d = %q, want %q", i, p.String(), tt.dates[i])
				}
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, in := range []string{
		``, `[]`, `"x"`, `{"json":`, `{"json":1,"meta":{"values":5}}`,
		`{"json":{"a":1},"meta":{"values":{"a":["Date"]},"v":1}}`,
		`{"json":{"a":1},"meta":{"values":{"a":[]},"v":1}}`,
		`{"json":{"a":1},"meta":{"values":{"a\\x":["undefined"]},"v":1}}`,
	} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%s) accepted", in)
		}
	}
}

func TestDecodeBounds(t *testing.T) {
	deep := `["undefined"]`
	for range maxTreeDepth + 2 {
		deep = `["map",{"0":` + deep + `}]`
	}
	if _, err := Decode([]byte(`{"json":null,"meta":{"values":` + deep + `}}`)); err == nil || !strings.Contains(err.Error(), "deep") {
		t.Errorf("deeply nested annotations: %v", err)
	}
	big := make([]byte, MaxEnvelopeBytes+1)
	if _, err := Decode(big); err == nil {
		t.Error("oversized envelope accepted")
	}
}
