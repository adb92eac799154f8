package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

// AdminError says a command needs an admin's key. The daemon answers a
// member's call to an admin route with 404, so as not to tell which routes
// exist; the CLI knows which of its commands are admin commands and asks
// the daemon who the caller is before printing "not found".
type AdminError struct {
	Command string
	User    api.User
}

// Error names the command and who the key belongs to.
func (e *AdminError) Error() string {
	return fmt.Sprintf("%s needs an admin API key; this key is %s's (%s)", e.Command, e.User.Email, e.User.Role)
}

// annotationAdmin marks commands only admins may run.
const annotationAdmin = "meeboter.admin"

// adminOnly marks cmd as an admin command; see explainNotFound.
func adminOnly(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annotationAdmin] = "true"
	return cmd
}

// explainNotFound turns the 404 an admin command gets with a member's key
// into an AdminError, after asking the daemon who the caller is: an admin
// may well get a real 404 (reset-keys of a user that does not exist).
func explainNotFound(ctx context.Context, f *Factory, cmd *cobra.Command, err error) error {
	if cmd == nil || cmd.Annotations[annotationAdmin] == "" || !errors.Is(err, api.ErrNotFound) {
		return err
	}
	c, cerr := f.Client()
	if cerr != nil {
		return err
	}
	me, merr := c.Users().Me(ctx)
	if merr != nil || me.Role == api.RoleAdmin {
		return err
	}
	return &AdminError{Command: cmd.CommandPath(), User: *me}
}
