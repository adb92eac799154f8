package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/cobra"
)

// newCmdUser groups the user commands (admins only).
func newCmdUser(f *Factory) *cobra.Command {
	cmd := newGroup(&cobra.Command{
		Use:     "user <command>",
		Aliases: []string{"users"},
		Short:   "Manage users (admins)",
		Example: `  $ meeboter user create --email ana@example.com --name Ana
  $ meeboter user list`,
	})
	cmd.AddCommand(adminOnly(newCmdUserCreate(f, nil)), adminOnly(newCmdUserList(f, nil)), adminOnly(newCmdUserResetKeys(f, nil)),
		adminOnly(newCmdUserSetPlan(f, nil)), adminOnly(newCmdUserSetLimits(f, nil)))
	return cmd
}

type userCreateOptions struct {
	deps
	Email      string
	Name       string
	Role       string
	DailyLimit int
	Request    api.CreateUserRequest
}

func newCmdUserCreate(f *Factory, runF func(*userCreateOptions) error) *cobra.Command {
	opts := &userCreateOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "create --email EMAIL",
		Short: "Create a user and print their first API key once",
		Long: `Create a user (admins only). The new user's first API key is printed on
stdout and never shown again: hand it over now.`,
		Example: `  $ meeboter user create --email ana@example.com --name Ana --role member
  $ meeboter user create --email ops@example.com --role admin --json | jq -r .key.secret`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if !strings.Contains(opts.Email, "@") {
				return flagErrorf("--email is required and must be an address")
			}
			if opts.Role != api.RoleAdmin && opts.Role != api.RoleMember {
				return flagErrorf("invalid --role %q: use admin or member", opts.Role)
			}
			opts.Request = api.CreateUserRequest{Email: opts.Email, Name: opts.Name, Role: opts.Role}
			if cmd.Flags().Changed("daily-limit") {
				opts.Request.CustomDailyBotLimit = &opts.DailyLimit
			}
			return run(runF, userCreateRun, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Email, "email", "", "the user's email (required)")
	cmd.Flags().StringVar(&opts.Name, "name", "", "the user's name")
	cmd.Flags().StringVar(&opts.Role, "role", api.RoleMember, "admin or member")
	cmd.Flags().IntVar(&opts.DailyLimit, "daily-limit", 0, "bots per day instead of the plan's limit")
	opts.Output.register(cmd)
	return cmd
}

func userCreateRun(opts *userCreateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	u, err := c.Users().Create(opts.Ctx, opts.Request)
	if err != nil {
		return err
	}
	return printSecret(&opts.deps, u, &u.Key, "created user %d %s (%s)", u.User.ID, u.User.Email, u.User.Role)
}

type userListOptions struct {
	deps
	Page pageFlags
}

func newCmdUserList(f *Factory, runF func(*userListOptions) error) *cobra.Command {
	opts := &userListOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List users (admins)",
		Example: `  $ meeboter user list --all`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			if err := opts.Page.validate(); err != nil {
				return err
			}
			return run(runF, userListRun, opts)
		},
	}
	opts.Page.register(cmd, "users")
	opts.Output.register(cmd)
	return cmd
}

func userListRun(opts *userListOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	list, err := fetchPages(opts.Ctx, opts.Page, func(ctx context.Context, cursor string, limit int) (*api.List[api.User], error) {
		return c.Users().List(ctx, cursor, limit)
	})
	if err != nil {
		return err
	}
	if opts.Output.isJSON() {
		return writeJSON(opts.IO.Out, list)
	}
	p := opts.printer()
	t := p.table("ID", "EMAIL", "NAME", "ROLE", "DAILY LIMIT", "CREATED")
	for _, u := range list.Items {
		limit := p.none()
		if u.CustomDailyBotLimit != nil {
			limit = strconv.Itoa(*u.CustomDailyBotLimit)
		}
		t.row(strconv.FormatInt(u.ID, 10), u.Email, p.orNone(u.Name), u.Role, limit, p.time(u.CreatedAt))
	}
	if err := t.render(); err != nil {
		return err
	}
	hintMore(&opts.deps, list.NextCursor)
	return nil
}

type userResetKeysOptions struct {
	deps
	ID int64
}

func newCmdUserResetKeys(f *Factory, runF func(*userResetKeysOptions) error) *cobra.Command {
	opts := &userResetKeysOptions{deps: newDeps(f)}
	cmd := &cobra.Command{
		Use:   "reset-keys ID",
		Short: "Revoke all of a user's keys and issue a new one (admins)",
		Long: `Revoke every key of a user, for a leaked key or a departure, and print the
single new key on stdout, once.`,
		Example: `  $ meeboter user reset-keys 4`,
		Args:    exactArgs(1, "a user ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(cmd)
			id, err := parseID(args[0], "user")
			if err != nil {
				return err
			}
			opts.ID = id
			return run(runF, userResetKeysRun, opts)
		},
	}
	opts.Output.register(cmd)
	return cmd
}

func userResetKeysRun(opts *userResetKeysOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	k, err := c.Users().ResetKeys(opts.Ctx, opts.ID)
	if err != nil {
		return err
	}
	return printSecret(&opts.deps, k, k, "revoked the keys of user %d and issued key %d", opts.ID, k.ID)
}
