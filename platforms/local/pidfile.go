package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// pidRecord is the content of a pid file: enough to find the process again
// after a daemon restart and to tell it from a later process that got the
// same pid.
type pidRecord struct {
	ID         string    `json:"id"`
	BotID      int64     `json:"botId"`
	PID        int       `json:"pid"`
	StartTicks uint64    `json:"startTicks"`
	StartedAt  time.Time `json:"startedAt"`
}

const pidSuffix = ".json"

// validID guards pidPath: identifiers come back from the database and must
// never name a file outside StateDir.
var validID = regexp.MustCompile(`^local-[0-9]+-[0-9]+$`)

func (l *Local) pidPath(id string) string {
	if !validID.MatchString(id) {
		return ""
	}
	return filepath.Join(l.cfg.StateDir, id+pidSuffix)
}

// writePidFile writes through a temporary file and a rename, so a daemon
// reading the directory never sees half a record.
func (l *Local) writePidFile(rec pidRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	path := l.pidPath(rec.ID)
	tmp, err := os.CreateTemp(l.cfg.StateDir, ".pid-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

func readPidFile(path string) (pidRecord, error) {
	var rec pidRecord
	if path == "" {
		return rec, errors.New("invalid identifier")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return rec, err
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("pid file %s: %w", filepath.Base(path), err)
	}
	if rec.ID+pidSuffix != filepath.Base(path) || rec.PID <= 0 {
		return rec, fmt.Errorf("pid file %s: inconsistent record", filepath.Base(path))
	}
	return rec, nil
}

// pidFiles lists the identifiers that have a pid file.
func (l *Local) pidFiles() ([]string, error) {
	entries, err := os.ReadDir(l.cfg.StateDir)
	if err != nil {
		return nil, fmt.Errorf("local: read state dir: %w", err)
	}
	var ids []string
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), pidSuffix)
		if ok && validID.MatchString(id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
