package daemon_test

import (
	"os"
	"testing"

	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
	"github.com/meeboter/meeboter/platforms/kubernetes/kubetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(serveChildEnv) == "1" {
		os.Exit(serveChild())
	}
	code := m.Run()
	kubetest.StopShared()
	ecstest.StopShared()
	s3test.StopShared()
	os.Exit(code)
}
