package daemon_test

import (
	"os"
	"testing"

	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	kubetest.StopShared()
	ecstest.StopShared()
	os.Exit(code)
}
