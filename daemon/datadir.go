package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// DefaultListen is where `meeboter serve` listens unless told otherwise.
const DefaultListen = "127.0.0.1:3000"

// ErrDataDirInUse means another daemon holds the data directory. In local
// mode two daemons on one directory would adopt and stop each other's bot
// processes, so the second one refuses to start.
var ErrDataDirInUse = errors.New("another meeboter daemon is using this data directory")

// LockDataDir takes an exclusive lock on dir (created if missing) for as
// long as the process lives or until release is called. The lock is an
// flock on dir/daemon.lock, so it goes away by itself when a daemon dies.
func LockDataDir(dir string) (release func(), err error) {
	dir = DataDir(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	path := filepath.Join(dir, "daemon.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrDataDirInUse, dir)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
