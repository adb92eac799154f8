package local

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestLineSplitter feeds streams in every cut of reads and checks the
// lines come out whole, a line longer than maxLine in pieces of maxLine,
// and an unfinished last line at the end.
func TestLineSplitter(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", maxLine+10)
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"a\nb\r\n\nc", []string{"a", "b", "", "c"}},
		{"one\n", []string{"one"}},
		{long + "\nz\n", []string{long[:maxLine], long[maxLine:], "z"}},
		{strings.Repeat("y", maxLine) + "\n", []string{strings.Repeat("y", maxLine)}},
	} {
		for _, cut := range []int{1, 3, 7, 4096, 16 << 10, len(tt.in)} {
			var got []string
			s := lineSplitter{emit: func(b []byte) { got = append(got, string(trimEOL(b))) }}
			for p := tt.in; len(p) > 0; {
				n := min(cut, len(p))
				s.write([]byte(p[:n]))
				p = p[n:]
			}
			s.flush()
			if !slices.Equal(got, tt.want) {
				t.Errorf("%.20q in reads of %d: got %d lines %.40q, want %d", tt.in, cut, len(got), got, len(tt.want))
			}
		}
	}
}

// TestPump_QuietStreamsHoldNoBuffer starts many pumps on pipes nobody
// writes to and checks the heap holds no read buffer for them, then that
// each still delivers a line and ends at EOF.
func TestPump_QuietStreamsHoldNoBuffer(t *testing.T) {
	const n = 200
	var mu sync.Mutex
	var got []string
	l := &Local{log: slog.New(slog.DiscardHandler), cfg: Config{LogSink: func(_ int64, _, line string) {
		mu.Lock()
		got = append(got, line)
		mu.Unlock()
	}}}
	before := heapInUse()
	var wg sync.WaitGroup
	writers := make([]*os.File, n)
	for i := range n {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		writers[i] = w
		wg.Go(func() { l.pump(r, int64(i), "stdout") })
	}
	runtime.Gosched()
	if grew := heapInUse() - before; grew > n*16<<10 { // a buffer each would be 64 KB
		t.Errorf("%d quiet pumps hold %d KB of heap, %d bytes each", n, grew>>10, grew/n)
	}
	for _, w := range writers {
		if _, err := io.Copy(w, bytes.NewBufferString("hello\n")); err != nil {
			t.Fatal(err)
		}
		w.Close()
	}
	wg.Wait()
	if len(got) != n || got[0] != "hello" {
		t.Fatalf("got %d lines (%q...), want %d of hello", len(got), got[:min(1, len(got))], n)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
