package trpc

import (
	"testing"

	"github.com/meeboter/meeboter/trpc/superjson"
)

// TestEncodeHeartbeat checks that the direct heartbeat envelope is the one
// superjson writes, and that levels it cannot write plainly take the
// general path.
func TestEncodeHeartbeat(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	for _, hb := range []Heartbeat{
		{}, {ShouldLeave: true}, {LogLevel: str("INFO")}, {ShouldLeave: true, LogLevel: str("TRACE")},
		{LogLevel: str("")}, {LogLevel: str(`a"b`)}, {LogLevel: str("<x>")}, {LogLevel: str("é\n")},
	} {
		want, err := superjson.Encode(hb)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encode(hb)
		if err != nil || string(got) != string(want) {
			t.Errorf("encode(%+v) = %s, %v; superjson writes %s", hb, got, err, want)
		}
	}
}

func BenchmarkEncodeHeartbeat(b *testing.B) {
	level := "INFO"
	hb := Heartbeat{LogLevel: &level}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			_, _ = encode(hb)
		}
	})
	b.Run("superjson", func(b *testing.B) {
		for b.Loop() {
			_, _ = superjson.Encode(hb)
		}
	})
}
