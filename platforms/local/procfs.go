package local

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// procStat reads the state letter and start time (field 22, in clock ticks
// since boot) of a process from /proc/<pid>/stat. The start time is what
// tells a bot from an unrelated process that later got the same pid.
func procStat(pid int) (state byte, ticks uint64, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, err
	}
	// The command name (field 2) is in parentheses and may itself contain
	// spaces or parentheses, so parsing starts after the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, 0, errors.New("malformed stat")
	}
	fields := bytes.Fields(data[i+1:])
	if len(fields) < 20 {
		return 0, 0, errors.New("short stat")
	}
	ticks, err = strconv.ParseUint(string(fields[19]), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("stat start time: %w", err)
	}
	return fields[0][0], ticks, nil
}

// haveProcfs says whether /proc can be read; without it (not Linux) pid
// files record no start time and a bare existence check stands in.
var haveProcfs = func() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}()

// sameProcessAlive reports whether pid still runs and is the process that
// started at ticks. A zombie counts as dead: it has exited and only waits
// to be reaped by its parent.
func sameProcessAlive(pid int, ticks uint64) bool {
	if !haveProcfs {
		return syscall.Kill(pid, 0) == nil
	}
	state, got, err := procStat(pid)
	if err != nil {
		return false
	}
	return got == ticks && state != 'Z' && state != 'X'
}
