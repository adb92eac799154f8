package cli

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
)

// completionTimeout bounds the daemon calls of a completion: the shell
// waits on them, and an absent daemon must not hang a Tab press.
const completionTimeout = 2 * time.Second

// completionLimit is how many bots, keys or templates a completion offers:
// the newest, which are the ones people type.
const completionLimit = 100

// completionClient is a client for completions: no retries, a short
// timeout. Depends on Config.
func (f *Factory) completionClient() (*api.Client, error) {
	return f.clientWith(&http.Client{Timeout: completionTimeout})
}

// lister fetches candidates from the daemon as "value\tdescription".
type lister func(ctx context.Context, c *api.Client) ([]string, error)

// fromDaemon completes positional arguments from list, offering only the
// values that start with what was typed and are not already given. With
// many set, every argument takes a value; otherwise only the first. A
// daemon that cannot be reached, or refuses, yields no candidates and no
// error: the shell then completes nothing, which is all it can do.
func fromDaemon(f *Factory, many bool, list lister) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 && !many {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return candidates(cmd, f, list, args, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

func candidates(cmd *cobra.Command, f *Factory, list lister, given []string, prefix string) []cobra.Completion {
	c, err := f.completionClient()
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), completionTimeout)
	defer cancel()
	all, err := list(ctx, c)
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, cand := range all {
		value, _, _ := strings.Cut(cand, "\t")
		if strings.HasPrefix(value, prefix) && !slices.Contains(given, value) {
			out = append(out, cand)
		}
	}
	return out
}

// fixed completes a flag or argument from a closed set
// ("value\tdescription" each), matching what was typed in any case, since
// the flags that take these accept any case.
func fixed(values ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, v := range values {
			if strings.HasPrefix(strings.ToLower(v), strings.ToLower(toComplete)) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// listBots offers the caller's newest bots in the given statuses (any
// when none): "12\tsales call (IN_CALL)".
func listBots(statuses ...api.BotStatus) lister {
	return func(ctx context.Context, c *api.Client) ([]string, error) {
		page, err := c.Bots().List(ctx, api.BotListOptions{Statuses: statuses, Limit: completionLimit})
		if err != nil {
			return nil, err
		}
		out := make([]string, len(page.Items))
		for i, b := range page.Items {
			name := cmp.Or(b.DisplayName, b.Meeting.Platform, "bot")
			out[i] = strconv.FormatInt(b.ID, 10) + "\t" + name + " (" + string(b.Status) + ")"
		}
		return out, nil
	}
}

// listKeys offers the caller's keys: "3\tci (active)". With activeOnly,
// revoked and expired keys are left out.
func listKeys(now func() time.Time, activeOnly bool) lister {
	return func(ctx context.Context, c *api.Client) ([]string, error) {
		page, err := c.Keys().List(ctx, "", completionLimit)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, k := range page.Items {
			state := keyState(k, now())
			if activeOnly && state != "active" {
				continue
			}
			out = append(out, strconv.FormatInt(k.ID, 10)+"\t"+k.Name+" ("+state+")")
		}
		return out, nil
	}
}

// listTemplates offers the caller's chat templates: "7\tgreet".
func listTemplates(ctx context.Context, c *api.Client) ([]string, error) {
	page, err := c.Chat().Templates(ctx, "", completionLimit)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(page.Items))
	for i, t := range page.Items {
		out[i] = strconv.FormatInt(t.ID, 10) + "\t" + t.Name
	}
	return out, nil
}

// listUsers offers users, for admins: "4\tana@example.com (member)".
func listUsers(ctx context.Context, c *api.Client) ([]string, error) {
	page, err := c.Users().List(ctx, "", completionLimit)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(page.Items))
	for i, u := range page.Items {
		out[i] = strconv.FormatInt(u.ID, 10) + "\t" + u.Email + " (" + u.Role + ")"
	}
	return out, nil
}

// listWebhooks offers the caller's webhook endpoints:
// "2\thttps://example.com/hook (failing)".
func listWebhooks(ctx context.Context, c *api.Client) ([]string, error) {
	page, err := c.Webhooks().List(ctx, "", completionLimit)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(page.Items))
	for i, e := range page.Items {
		state := "active"
		switch {
		case e.DisabledAt != nil:
			state = "disabled"
		case e.FailingSince != nil:
			state = "failing"
		}
		out[i] = strconv.FormatInt(e.ID, 10) + "\t" + e.URL + " (" + state + ")"
	}
	return out, nil
}

// listDeliveries offers the newest deliveries of the caller's endpoints,
// the ones worth resending first: "41\tbot.done to https://... (failed)".
func listDeliveries(ctx context.Context, c *api.Client) ([]string, error) {
	endpoints, err := c.Webhooks().List(ctx, "", completionLimit)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range endpoints.Items {
		page, err := c.Webhooks().Deliveries(ctx, e.ID, "", completionLimit/10)
		if err != nil {
			return nil, err
		}
		for _, d := range page.Items {
			out = append(out, strconv.FormatInt(d.ID, 10)+"\t"+d.EventType+" to "+d.URL+" ("+d.State+")")
		}
	}
	return out, nil
}

// listPlans lists plan names with their limits, for set-plan's second
// argument.
func listPlans(ctx context.Context, c *api.Client) ([]string, error) {
	list, err := c.Plans().List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(list.Items))
	for i, p := range list.Items {
		out[i] = p.Name + "\t" + planSummary(p)
	}
	return out, nil
}

func planSummary(p api.PlanLimits) string {
	n := func(v *int) string {
		if v == nil {
			return "unlimited"
		}
		return strconv.Itoa(*v)
	}
	return n(p.DailyBots) + " a day, " + n(p.ConcurrentBots) + " at once"
}

// userThenPlan completes a user id, then a plan name.
func userThenPlan(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch len(args) {
		case 0:
			return candidates(cmd, f, listUsers, args, toComplete), cobra.ShellCompDirectiveNoFileComp
		case 1:
			return candidates(cmd, f, listPlans, nil, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}
