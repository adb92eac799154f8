package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/meeboter/meeboter/api"
)

// sizes are the terminal sizes every golden view is drawn at: the classic
// minimum and a roomy one.
var sizes = [][2]int{{80, 24}, {120, 40}}

// goldenViews draws a view at every size after setup and compares it with
// testdata/<TestName>/<W>x<H>.golden (refresh with go test -update).
func goldenViews(t *testing.T, setup func(h *harness)) {
	t.Helper()
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, size[0], size[1])
			setup(h)
			golden.RequireEqual(t, h.view())
		})
	}
}

func TestOverview(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready() })
}

func TestBots(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().keys("2", "down", "down") })
}

func TestBotsFiltering(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) {
		h.ready().keys("2", "/")
		h.typeText("call")
	})
}

func TestBot(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().send(openBotMsg{id: 1}) })
}

func TestBotConfirmLeave(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) {
		h.ready().send(openBotMsg{id: 4})
		h.keys("up", "up", "l")
	})
}

func TestQueue(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().keys("3") })
}

func TestSlots(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().keys("4") })
}

func TestHelp(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().keys("?") })
}

func TestLoadError(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) {
		h.send(botsLoadedMsg{err: fmt.Errorf("%w: dial tcp 127.0.0.1:3000: connection refused", api.ErrUnreachable)})
	})
}

func TestDisconnected(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) {
		h.ready()
		h.send(streamClosedMsg{kind: fleetStream, gen: h.m.streams[fleetStream].gen, err: api.ErrUnreachable})
	})
}

func TestBotsSelectedConfirm(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) {
		h.ready().keys("2")
		h.selectBots(7, 2, 1)
		h.keys("l")
	})
}

func TestBotsOnPlatform(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().keys("down", "enter", "S") })
}

func TestDescribeView(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) { h.ready().keys("2", "G", "d") })
}

func TestBotLogFiltered(t *testing.T) {
	t.Parallel()
	goldenViews(t, func(h *harness) {
		h.ready().send(openBotMsg{id: 1})
		h.keys("/")
		h.typeText("1")
		h.keys("enter", "v", "v")
	})
}
