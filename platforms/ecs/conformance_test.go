package ecs

import (
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms/ecs/ecstest"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// failStates are the task endings the harness can cause, by the reason
// code Status must then report.
var failStates = map[string]func() ecstest.State{
	ReasonImagePullFailed:   ecstest.ImagePullFailed,
	ReasonOOMKilled:         ecstest.OOMKilled,
	ReasonSpotInterrupted:   ecstest.SpotInterrupted,
	ReasonTaskFailedToStart: ecstest.FailedToStart,
	ReasonExited:            func() ecstest.State { return ecstest.Exited(1, "") },
	ReasonTaskStopped:       ecstest.StoppedByUser,
}

// TestConformance runs the platform suite against kumo behind the ecstest
// middleware, which plays the part of the Fargate runtime kumo lacks.
func TestConformance(t *testing.T) {
	t.Parallel()
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		b := setup(t)
		return platformtest.Harness{
			Platform:  b.p,
			Capacity:  testCapacity,
			UnknownID: b.unknownARN(),
			Timeout:   10 * time.Second,
			FailReasons: []string{
				ReasonImagePullFailed, ReasonOOMKilled, ReasonSpotInterrupted,
				ReasonTaskFailedToStart, ReasonExited, ReasonTaskStopped,
			},
			MakeRunning:   func(id string) error { return b.srv.SetState(id, ecstest.Running()) },
			MakeSucceeded: func(id string) error { return b.srv.SetState(id, ecstest.Succeeded()) },
			MakeFailed: func(id, reason string) error {
				state, ok := failStates[reason]
				if !ok {
					return fmt.Errorf("no way to cause %q", reason)
				}
				return b.srv.SetState(id, state())
			},
		}
	})
}
