package superjson

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecodeEnvelope checks that Decode never panics, and that whatever it
// accepts is valid JSON that decodes again to itself.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add([]byte(`{"json":{"id":"123"}}`))
	f.Add([]byte(`{"json":null,"meta":{"values":["undefined"],"v":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decode(data)
		if err != nil {
			return
		}
		if !json.Valid(d.JSON) {
			t.Fatalf("invalid JSON out: %q", d.JSON)
		}
		if d.Undefined && string(d.JSON) != "null" {
			t.Fatalf("undefined value with JSON %q", d.JSON)
		}
		again, err := Decode([]byte(`{"json":` + string(d.JSON) + `}`))
		if err != nil || !bytes.Equal(again.JSON, d.JSON) {
			t.Fatalf("re-decoding %q gave %q, %v", d.JSON, again.JSON, err)
		}
	})
}
