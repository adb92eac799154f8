package account

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

func TestPriceUsage(t *testing.T) {
	t.Parallel()
	from := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	at := func(h float64) *time.Time { x := from.Add(time.Duration(h * float64(time.Hour))); return &x }
	spans := []store.BotSpan{
		{BotID: 1, Platform: "k8s", StartedAt: at(1), EndedAt: at(3)},     // 2 h
		{BotID: 2, Platform: "k8s", StartedAt: at(-1), EndedAt: at(0.5)},  // 0.5 h inside the range
		{BotID: 3, Platform: "local", StartedAt: at(2), EndedAt: at(2.5)}, // 0.5 h, free
		{BotID: 4, Platform: ""}, // never deployed
	}
	got, total := priceUsage(spans, from, to, to, map[string]float64{"k8s": 0.5})
	if len(got) != 2 || got[0].Platform != "k8s" || got[1].Platform != "local" {
		t.Fatalf("platforms %+v", got)
	}
	if got[0].Bots != 2 || got[0].BotHours != 2.5 || got[0].EstimatedCost != 1.25 || got[0].CostPerHour != 0.5 {
		t.Fatalf("k8s %+v", got[0])
	}
	if got[1].BotHours != 0.5 || got[1].EstimatedCost != 0 {
		t.Fatalf("local %+v", got[1])
	}
	if total != 1.25 {
		t.Fatalf("total %v", total)
	}
}
