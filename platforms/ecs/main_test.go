package ecs

import (
	"os"
	"testing"

	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
)

// TestMain stops the kumo emulator the first test started.
func TestMain(m *testing.M) {
	code := m.Run()
	ecstest.StopShared()
	os.Exit(code)
}
