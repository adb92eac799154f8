package lifecycle

import (
	"reflect"
	"testing"
)

func TestCapWarm(t *testing.T) {
	t.Parallel()
	targets := []WarmTarget{{"coolify", "google-meet", 3}, {"coolify", "zoom", 2}, {"free", "zoom", 4}}
	costs := map[string]float64{"coolify": 0.25}
	tests := []struct {
		name   string
		budget float64
		want   []WarmTarget
	}{
		{"NoCap", 0, targets},
		{"Ample", 10, targets},
		{"TrimsInOrder", 1, []WarmTarget{{"coolify", "google-meet", 3}, {"coolify", "zoom", 1}, {"free", "zoom", 4}}},
		{"TooSmallForOne", 0.2, []WarmTarget{{"free", "zoom", 4}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := capWarm(targets, costs, tc.budget); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("capWarm(%v) = %v, want %v", tc.budget, got, tc.want)
			}
		})
	}
}
