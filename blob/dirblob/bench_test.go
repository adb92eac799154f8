package dirblob_test

import (
	"bytes"
	"io"
	"strconv"
	"testing"
	"time"
)

var benchSizes = []struct {
	name string
	size int
}{{"1KiB", 1 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}}

// BenchmarkPut writes objects of several sizes, each synced to disk.
func BenchmarkPut(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			s, _ := newServed(b, time.Now)
			body := bytes.Repeat([]byte("x"), bs.size)
			b.SetBytes(int64(bs.size))
			for i := range b.N {
				if err := s.Put(b.Context(), "bench/"+strconv.Itoa(i%64), bytes.NewReader(body), int64(len(body)), "application/gzip"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGet reads one object of several sizes whole.
func BenchmarkGet(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			s, _ := newServed(b, time.Now)
			body := bytes.Repeat([]byte("x"), bs.size)
			if err := s.Put(b.Context(), "bench/obj", bytes.NewReader(body), int64(len(body)), "application/gzip"); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(bs.size))
			for range b.N {
				rc, _, err := s.Get(b.Context(), "bench/obj")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		})
	}
}
