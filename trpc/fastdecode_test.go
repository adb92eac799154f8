package trpc

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// FuzzFastDecode: whatever the fast readers of the bots' form accept, the
// general path reads the same way: the same input for the one call, the
// same bot id, no error.
func FuzzFastDecode(f *testing.F) {
	for _, s := range []string{
		`{"0":{"json":{"id":"123"}}}`, `{"0":{"json":{"id":123}}}`, `{"0":{"json":{"id":"0"}}}`,
		`{"0":{"json":{"id":"12"3"}}}`, `{"0":{"json":{"id":"1"},"meta":{}}}`, `{"0":{"json":{"id":"-1"}}}`,
		`{"0":{"json":{"id":"99999999999999999999"}}}`, `{"0":{"json":{"id":""}}}`, `{"0":{"json":{"id":}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if in := singleInput(raw); in != nil {
			inputs := make([]json.RawMessage, 1)
			if !json.Valid(raw) {
				t.Fatalf("%q taken as a batch, but it is not JSON", raw)
			}
			if err := splitInputs(raw, inputs); err != nil || !bytes.Equal(inputs[0], in) {
				t.Fatalf("%q: fast input %q, general %q (%v)", raw, in, inputs[0], err)
			}
		}
		id, ok := plainBotID(raw)
		if !ok {
			return
		}
		d, err := superjson.Decode(raw)
		if err != nil {
			t.Fatalf("%q: fast id %d, general envelope: %v", raw, id, err)
		}
		var in botInput
		if err := json.Unmarshal(d.JSON, &in); err != nil || in.ID != id || in.validate() != nil {
			t.Fatalf("%q: fast id %d, general %d (%v)", raw, id, in.ID, err)
		}
	})
}

// TestFastDecodeTakesTheBotsForm: the bots' own heartbeat input is read
// by the fast path, and a spaced one is left to the general path.
func TestFastDecodeTakesTheBotsForm(t *testing.T) {
	if in := singleInput([]byte(`{"0":{"json":{"id":"42"}}}`)); string(in) != `{"json":{"id":"42"}}` {
		t.Fatalf("single input %q", in)
	}
	if id, ok := plainBotID([]byte(`{"json":{"id":"42"}}`)); !ok || id != 42 {
		t.Fatalf("id %d %v", id, ok)
	}
	if in := singleInput([]byte(`{"0": {"json":{"id":"42"}}}`)); in != nil {
		t.Fatalf("a spaced batch taken by the fast path: %q", in)
	}
	if _, ok := plainBotID([]byte(`{"json":{"id":"0"}}`)); ok {
		t.Fatal("id 0 taken by the fast path")
	}
}
