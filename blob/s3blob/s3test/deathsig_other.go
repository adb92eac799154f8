//go:build !linux

package s3test

import "os/exec"

// setDeathSignal does nothing where the kernel offers no parent-death
// signal; Stop still ends the server after a normal run.
func setDeathSignal(*exec.Cmd) {}
