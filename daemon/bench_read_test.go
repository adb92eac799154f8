package daemon_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/meeboter/meeboter/store/storetest"
)

// BenchmarkReadBots: API-key reads under load (64 concurrent callers) of
// a user with 2,000 bots: one bot by id, and the first page of 50 of the
// listing; ns/op is the inverse of throughput.
func BenchmarkReadBots(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			const bots = 2000
			d, plat := benchDaemon(b, open, bots)
			ids := createBots(b, d.Admin, bots)
			waitDeployed(b, plat, ids)
			key := d.AdminKey
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			get := func(path string) {
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, d.URL+path, nil)
				req.Header.Set("Authorization", "Bearer "+key)
				do(b, client, req)
			}
			b.Run("get", func(b *testing.B) {
				beat(b, len(ids), func(i int) { get("/v1/bots/" + strconv.FormatInt(ids[i], 10)) })
			})
			b.Run("list", func(b *testing.B) {
				beat(b, len(ids), func(int) { get("/v1/bots?limit=50") })
			})
		})
	}
}
