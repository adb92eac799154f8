package sandbox

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"sync"

	"github.com/meeboter/meeboter/api"
)

// stateColors gives each status its own colour, so a list of screenshots
// shows the bot's path at a glance.
var stateColors = map[api.BotStatus]color.RGBA{
	api.StatusJoiningCall:   {0x3b, 0x82, 0xf6, 0xff},
	api.StatusInWaitingRoom: {0xf5, 0x9e, 0x0b, 0xff},
	api.StatusInCall:        {0x10, 0xb9, 0x81, 0xff},
	api.StatusCallEnded:     {0x64, 0x74, 0x8b, 0xff},
	api.StatusDone:          {0x33, 0x41, 0x55, 0xff},
	api.StatusFatal:         {0xef, 0x44, 0x44, 0xff},
}

// frames caches the rendered frame of each status: they never change.
var frames sync.Map // api.BotStatus → []byte

func framePNG(status api.BotStatus) []byte {
	if b, ok := frames.Load(status); ok {
		return b.([]byte)
	}
	b := renderPNG(status)
	frames.Store(status, b)
	return b
}

// renderPNG draws a small frame for status: its colour with a lighter band
// where a meeting's tiles would be.
func renderPNG(status api.BotStatus) []byte {
	const w, h = 160, 90
	bg, ok := stateColors[status]
	if !ok {
		bg = color.RGBA{0x80, 0x80, 0x80, 0xff}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	band := color.RGBA{bg.R/2 + 0x7f, bg.G/2 + 0x7f, bg.B/2 + 0x7f, 0xff}
	for y := range h {
		for x := range w {
			c := bg
			if y > h/3 && y < 2*h/3 && x > w/8 && x < 7*w/8 {
				c = band
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // encoding to memory cannot fail
	return buf.Bytes()
}

// screenshot uploads a frame for status; a lost screenshot is logged only.
func (b *bot) screenshot(ctx context.Context, typ string, status api.BotStatus) {
	shot := Screenshot{Type: typ, State: string(status), Trigger: string(status), PNG: framePNG(status)}
	err := b.cfg.bestEffort().do(ctx, func(ctx context.Context) error { return b.tr.Screenshot(ctx, shot) })
	switch {
	case quiet(err):
		b.gone.fire()
	case err != nil && ctx.Err() == nil:
		b.log.Warn("screenshot upload failed", "state", status, "error", err)
	default:
		b.log.Debug("screenshot uploaded", "type", typ, "state", status, "bytes", len(shot.PNG))
	}
}
