package local

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// A bot process is reaped without an OS thread of its own: exec.Cmd.Wait
// blocks a thread in wait4 for the life of the child, which at thousands
// of bots meant thousands of threads. The child's pidfd becomes readable
// when it exits; Go's netpoller watches it with every other descriptor,
// and only then is the child reaped, with a wait4 that cannot block.
// Kernels without pidfds (before 5.3) fall back to Wait.

// withPidFD asks cmd.Start to store the child's pidfd in fd (-1 when the
// kernel gives none).
func withPidFD(cmd *exec.Cmd, fd *int) {
	*fd = -1
	cmd.SysProcAttr.PidFD = fd
}

// reap waits for the child to exit and reaps it, returning what
// exec.Cmd.Wait would (nil for exit status 0, an *exec.ExitError-like
// error otherwise, as exitStatus reads it).
func reap(cmd *exec.Cmd, pidfd int) (syscall.WaitStatus, error) {
	if pidfd < 0 {
		return waitStatus(cmd.Wait())
	}
	// os keeps a handle of its own on the child; the child is reaped
	// here, so that handle is only released.
	defer func() { _ = cmd.Process.Release() }()
	if err := syscall.SetNonblock(pidfd, true); err != nil {
		syscall.Close(pidfd)
		return waitStatus(cmd.Wait())
	}
	f := os.NewFile(uintptr(pidfd), "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return waitStatus(cmd.Wait())
	}
	var ws syscall.WaitStatus
	var werr error
	err = rc.Read(func(uintptr) bool {
		var pid int
		pid, werr = syscall.Wait4(cmd.Process.Pid, &ws, syscall.WNOHANG, nil)
		if errors.Is(werr, syscall.EINTR) {
			return false
		}
		return werr != nil || pid != 0 // 0: still running, wait for the pidfd
	})
	if err == nil {
		err = werr
	}
	return ws, err
}

// waitStatus reads the status out of exec.Cmd.Wait's error.
func waitStatus(err error) (syscall.WaitStatus, error) {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok {
			return ws, nil
		}
	}
	return 0, err
}

// exitStateOf turns a reaped status into a resource state, in the words
// exec.ExitError uses.
func exitStateOf(ws syscall.WaitStatus, err error) (string, bool) {
	switch {
	case err != nil:
		return err.Error(), false
	case ws.Signaled():
		return "signal: " + ws.Signal().String(), false
	}
	return fmt.Sprintf("exit status %d", ws.ExitStatus()), ws.ExitStatus() == 0
}
