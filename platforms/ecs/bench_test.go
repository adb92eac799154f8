package ecs

import (
	"testing"

	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// BenchmarkStatuses_100 is one worker pass over 100 live bots: a single
// DescribeTasks call to the emulator, decoded and mapped.
func BenchmarkStatuses_100(b *testing.B) {
	bd := setup(b)
	var ids []string
	for _, arn := range bd.deployMany(b, 1, 100) {
		ids = append(ids, arn)
	}
	for b.Loop() {
		if got, err := bd.p.Statuses(ctx(b), ids); err != nil || len(got) != 100 {
			b.Fatalf("Statuses: %d, %v", len(got), err)
		}
	}
}

// BenchmarkDeploy is one RunTask round trip to the emulator, request
// building and client token included.
func BenchmarkDeploy(b *testing.B) {
	bd := setup(b)
	id := int64(0)
	for b.Loop() {
		id++
		bd.deploy(b, botSpec(id, "google-meet"))
	}
}

// BenchmarkResourceOf is the mapping of one stopped task alone.
func BenchmarkResourceOf(b *testing.B) {
	task := stopped(ecsapi.StopCodeEssentialContainerExited, "Essential container in task exited",
		bot(137, "OutOfMemoryError: Container killed due to memory usage"))
	cfg := Config{}
	for b.Loop() {
		if r, _ := cfg.resourceOf(task); r.Reason != ReasonOOMKilled {
			b.Fatal(r)
		}
	}
}
