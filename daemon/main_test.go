package daemon_test

import (
	"os"
	"testing"

	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	kubetest.StopShared()
	os.Exit(code)
}
