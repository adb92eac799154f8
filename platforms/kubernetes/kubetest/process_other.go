//go:build !linux

package kubetest

import "os/exec"

// setDeathSignal does nothing where the kernel has no parent-death signal;
// Stop still ends the servers on a normal exit.
func setDeathSignal(*exec.Cmd) {}
