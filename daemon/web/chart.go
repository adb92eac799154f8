package web

import (
	"fmt"
	"math"
	"time"

	"github.com/meeboter/meeboter/api"
)

// barChart is the geometry of the usage chart, worked out here so the
// page only places elements: an inline SVG, drawn on the server, with
// no chart library and no script.
type barChart struct {
	Width, Height float64
	Left, Bottom  float64 // the plot's left and bottom edges
	Bars          []bar
	Ticks         []tick // from 0 up, in whole bots
	Title         string
}

type bar struct {
	X, Y, W, H float64
	Label      string  // shown under the bar, on some bars only
	LabelX     float64 // the label's centre
	Title      string  // the bar's tooltip and accessible name
}

type tick struct {
	Y     float64
	Label string
}

const (
	chartW, chartH   = 960.0, 240.0
	chartLeft        = 40.0
	chartTop         = 12.0
	chartBottomSpace = 28.0
	maxXLabels       = 10
)

// usageChart draws bots per day.
func usageChart(days []api.UsageDay) barChart {
	c := barChart{Width: chartW, Height: chartH, Left: chartLeft, Bottom: chartH - chartBottomSpace, Title: "Bots per day"}
	top, step := axis(days)
	plotH, plotW := c.Bottom-chartTop, chartW-chartLeft-4
	for v := 0; v <= top; v += step {
		c.Ticks = append(c.Ticks, tick{Y: r1(c.Bottom - plotH*float64(v)/float64(top)), Label: fmt.Sprint(v)})
	}
	if len(days) == 0 {
		return c
	}
	slot := plotW / float64(len(days))
	every := int(math.Ceil(float64(len(days)) / maxXLabels))
	for i, d := range days {
		h := plotH * float64(d.Bots) / float64(top)
		b := bar{X: r1(chartLeft + slot*float64(i) + slot*0.15), W: r1(slot * 0.7), H: r1(h), Y: r1(c.Bottom - h), LabelX: r1(chartLeft + slot*(float64(i)+0.5)),
			Title: fmt.Sprintf("%s: %d %s, %.0f bot-minutes", d.Date, d.Bots, plural(d.Bots, "bot", "bots"), d.BotMinutes)}
		if i%every == 0 {
			b.Label = shortDate(d.Date)
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// axis picks the value axis: a step of 1, 2 or 5 times a power of ten, so
// it reads in whole, round numbers, and a top that is a multiple of it
// above the tallest day, in at most five steps. An empty range still has an
// axis up to 4.
func axis(days []api.UsageDay) (top, step int) {
	most := 0
	for _, d := range days {
		most = max(most, d.Bots)
	}
	if most <= 4 {
		return 4, 1
	}
	raw := float64(most) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = int(m * mag)
			break
		}
	}
	step = max(step, 1)
	return step * ((most + step - 1) / step), step
}

func shortDate(date string) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return t.Format("2 Jan")
}

// r1 rounds a coordinate to a tenth of a unit, plenty for a 960-unit
// drawing, and keeps the markup short.
func r1(v float64) float64 { return math.Round(v*10) / 10 }
