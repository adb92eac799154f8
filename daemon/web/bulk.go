package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// bulk asks the checked bots to leave, or cancels them, and says per bot
// what failed. Another user's id fails as not found, as in the REST API.
func (c *Console) bulk(v *visit) (result, error) {
	back := localPath(v.r.PostForm.Get("back"))
	if !strings.HasPrefix(back, "/bots") {
		back = "/bots"
	}
	var op func(context.Context, store.Bot) (store.Bot, error)
	verb := v.r.PostForm.Get("action")
	switch verb {
	case "leave":
		op = c.svc.Life.Leave
	case "cancel":
		op = c.svc.Life.Cancel
	default:
		return nil, domain.Invalid("action", "must be leave or cancel")
	}
	ids, err := formIDs(v.r.PostForm["id"])
	if err != nil {
		return redirect{to: back, flash: errFlash("bulk", err)}, nil
	}
	if len(ids) == 0 {
		return redirect{to: back, flash: flash{Kind: "error", Where: "bulk", Text: "Tick the bots to " + verb + " first."}}, nil
	}
	ok, failed, err := c.svc.Life.Bulk(v.r.Context(), v.caller().User.ID, ids, op)
	if err != nil {
		return redirect{to: back, flash: errFlash("bulk", err)}, nil
	}
	done := map[string]string{"leave": "Asked %d %s to leave.", "cancel": "Cancelled %d %s."}[verb]
	f := okFlash("bulk", done, len(ok), plural(len(ok), "bot", "bots"))
	if len(failed) > 0 {
		parts := make([]string, 0, len(failed))
		for _, fl := range failed {
			why := strings.TrimSuffix(describe(fl.Err), ".")
			parts = append(parts, fmt.Sprintf("bot %d: %s", fl.BotID, strings.ToLower(why[:1])+why[1:]))
		}
		f.Kind = "error"
		f.Text += fmt.Sprintf(" %d could not: %s.", len(failed), strings.Join(parts, "; "))
	}
	return redirect{to: back, flash: f}, nil
}

// formIDs parses the ticked checkboxes' bot ids.
func formIDs(raw []string) ([]int64, error) {
	ids := make([]int64, 0, len(raw))
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, domain.Invalid("id", "%q is not a bot id", s)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
