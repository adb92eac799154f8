package logarchive_test

import (
	"strconv"
	"testing"

	"github.com/meeboter/meeboter/logarchive"
)

// BenchmarkWriteChunk measures archival throughput, lines/s into each
// store through WriteChunk, for chunks of 1,000 and 10,000 lines of a
// realistic size (about 200 bytes as JSON).
func BenchmarkWriteChunk(b *testing.B) {
	for _, be := range backends {
		for _, n := range []int{1_000, 10_000} {
			b.Run(be.name+"/"+strconv.Itoa(n), func(b *testing.B) {
				s := be.open(b)
				entries := rows(7, 0, n)
				span := entries[n-1].ID
				b.ResetTimer()
				for i := range b.N {
					// Fresh ids each time, so every chunk is a new object.
					for j := range entries {
						entries[j].ID += span
					}
					if _, err := logarchive.WriteChunk(b.Context(), s, 7, entries); err != nil {
						b.Fatal(i, err)
					}
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "lines/s")
			})
		}
	}
}

// BenchmarkPage measures reading an archive of 10,000 lines in chunks of
// 1,000 through pages of 100, with and without the chunk cache.
func BenchmarkPage(b *testing.B) {
	for _, be := range backends {
		for _, cache := range []int{0, 20_000} {
			b.Run(be.name+"/cache="+strconv.Itoa(cache), func(b *testing.B) {
				s := be.open(b)
				archive(b, s, 7, rows(7, 0, 10_000), []int{1000})
				r := logarchive.NewReader(s, cache)
				b.ResetTimer()
				lines := 0
				for range b.N {
					after := int64(0)
					for {
						p, err := r.Page(b.Context(), 7, after, 100)
						if err != nil {
							b.Fatal(err)
						}
						lines += len(p.Entries)
						if !p.More {
							break
						}
						after = p.Next
					}
				}
				b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
			})
		}
	}
}
