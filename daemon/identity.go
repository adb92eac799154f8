package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// identityFile holds, in the data directory, the name this daemon gives
// itself across restarts.
const identityFile = "daemon-id"

// loadIdentity returns the daemon's lasting name, creating it on first
// start. Bots record the daemon that deployed them, and a restarted daemon
// must recognise its own (it adopts their processes). Without a writable
// data directory the daemon's name is that of its process, fallback.
func loadIdentity(dir, fallback string) string {
	path := filepath.Join(DataDir(dir), identityFile)
	if b, err := os.ReadFile(path); err == nil {
		if id := strings.TrimSpace(string(b)); id != "" {
			return id
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fallback
	}
	id := randomID() + randomID()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fallback
	}
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return fallback
	}
	return id
}
