package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func TestForecastChart(t *testing.T) {
	t.Parallel()
	at := time.Date(2030, 1, 2, 10, 0, 0, 0, time.Local)
	fc := &api.CapacityForecast{Platforms: []api.ForecastPlatform{
		{Platform: "local", Limit: 2, Steps: []api.ForecastStep{{At: at, Running: 1, Free: 1}, {At: at.Add(5 * time.Minute), Reserved: 2}}},
		{Platform: "k8s", Limit: 4, Steps: []api.ForecastStep{{At: at, Free: 4}}},
	}}
	got := forecastChart(&printer{pretty: true}, fc)
	want := []string{
		"local (limit 2)",
		"  10:00  " + strings.Repeat("█", 6) + strings.Repeat("░", 6) + strings.Repeat(" ", 12) + "  1 running, 0 reserved, 1 free",
		"  10:05  " + strings.Repeat("▓", 12) + strings.Repeat(" ", 12) + "  0 running, 2 reserved, 0 free",
		"",
		"k8s (limit 4)",
		"  10:00  " + strings.Repeat("░", 24) + "  0 running, 0 reserved, 4 free",
		"█ running  ▓ reserved  ░ free",
		"",
	}
	if got != strings.Join(want, "\n") {
		t.Fatalf("chart:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
