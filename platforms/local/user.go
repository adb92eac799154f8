package local

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the identity bot processes run under when the daemon is told to
// use another user (MEEBOTER_LOCAL_BOT_USER): the daemon's files, its
// /proc entries (and so its environment) and the CLI config are then out
// of a bot's reach.
type runAs struct {
	uid, gid uint32
}

// lookupRunAs resolves a user name or uid. Running bots as another user
// needs the daemon to be allowed to switch users (root, or CAP_SETUID and
// CAP_SETGID), which is checked here rather than at the first deploy.
func lookupRunAs(name string) (*runAs, error) {
	if name == "" {
		return nil, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		if u, err = user.LookupId(name); err != nil {
			return nil, fmt.Errorf("MEEBOTER_LOCAL_BOT_USER: no user %q", name)
		}
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("MEEBOTER_LOCAL_BOT_USER: user %q has no numeric uid and gid", name)
	}
	if os.Geteuid() != 0 && uint32(os.Geteuid()) != uint32(uid) {
		return nil, fmt.Errorf("MEEBOTER_LOCAL_BOT_USER=%s: the daemon must run as root (or with CAP_SETUID/CAP_SETGID) to start bots as another user", name)
	}
	return &runAs{uid: uint32(uid), gid: uint32(gid)}, nil
}

func (r *runAs) credential() *syscall.Credential {
	if r == nil {
		return nil
	}
	return &syscall.Credential{Uid: r.uid, Gid: r.gid, NoSetGroups: false, Groups: []uint32{}}
}

// prepareHome makes the bot's own HOME, owned by the user it runs as. Its
// parent may be entered but not listed by that user (0711), so one bot
// cannot find another's home.
func (r *runAs) prepareHome(dir string) error {
	if r == nil {
		return os.MkdirAll(dir, 0o700)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o711); err != nil {
		return err
	}
	if err := os.Chmod(filepath.Dir(dir), 0o711); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return err
	}
	return os.Chown(dir, int(r.uid), int(r.gid))
}
