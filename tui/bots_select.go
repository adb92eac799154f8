package tui

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"
)

// selectKey handles space (select the bot under the cursor and move on)
// and A (select every bot shown, or none when all are), and reports
// whether msg was one of them.
func (v *botsView) selectKey(msg tea.KeyPressMsg) bool {
	k := v.c.Keys
	switch {
	case k.Select.Matches(msg):
		if v.current == 0 {
			return true
		}
		v.toggle(v.current)
		v.table.Move(1)
		if c := v.table.Cursor; c >= 0 && c < len(v.rows) {
			v.current = v.rows[c].ID
		}
	case k.SelectAll.Matches(msg):
		all := true
		for _, b := range v.rows {
			all = all && v.marked[b.ID]
		}
		for _, b := range v.rows {
			if all {
				delete(v.marked, b.ID)
			} else {
				v.marked[b.ID] = true
			}
		}
	default:
		return false
	}
	return true
}

func (v *botsView) toggle(id int64) {
	if v.marked[id] {
		delete(v.marked, id)
	} else {
		v.marked[id] = true
	}
}

// actionKey starts leave, cancel or delete on the selected bots, or on the
// bot under the cursor when none is selected, and asks first.
func (v *botsView) actionKey(msg tea.KeyPressMsg) bool {
	k := v.c.Keys
	var a action
	switch {
	case k.Leave.Matches(msg):
		a = actionLeave
	case k.Cancel.Matches(msg):
		a = actionCancel
	case k.Delete.Matches(msg):
		a = actionDelete
	default:
		return false
	}
	v.targets = v.selection()
	if len(v.targets) > 0 {
		v.mode, v.pending = listConfirm, a
	}
	return true
}

// selection is the bots an action applies to, in id order: the marked
// ones that are still known, else the one under the cursor.
func (v *botsView) selection() []int64 {
	var ids []int64
	for id := range v.marked {
		if _, ok := v.f.bot(id); ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 && v.current != 0 {
		ids = []int64{v.current}
	}
	slices.Sort(ids)
	return ids
}

func (v *botsView) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case k.Confirm.Matches(msg):
		req := requestActionMsg{action: v.pending, ids: v.targets, bulk: true}
		v.mode, v.pending, v.targets = listNormal, actionNone, nil
		return emit(req)
	case k.Deny.Matches(msg):
		v.mode, v.pending, v.targets = listNormal, actionNone, nil
	}
	return nil
}

// Prompt is the confirm question, naming how many bots it acts on.
func (v *botsView) Prompt() string {
	if v.mode != listConfirm {
		return ""
	}
	if len(v.targets) == 1 {
		return fmt.Sprintf("%s bot %d? [y/n]", capitalize(v.pending.verb()), v.targets[0])
	}
	return fmt.Sprintf("%s %d bots (%s)? [y/n]", capitalize(v.pending.verb()), len(v.targets), idList(v.targets, 6))
}

// clearSelection unmarks bots an action succeeded on.
func (v *botsView) clearSelection(ids ...int64) {
	for _, id := range ids {
		delete(v.marked, id)
	}
}

// showPlatform narrows the list to one platform's bots.
func (v *botsView) showPlatform(name string) {
	v.platform = name
	v.sync()
}

// idList names up to n ids: "3, 5, 8, +2 more".
func idList(ids []int64, n int) string {
	s := ""
	for i, id := range ids {
		if i == n {
			return s + fmt.Sprintf(", +%d more", len(ids)-n)
		}
		if i > 0 {
			s += ", "
		}
		s += itoa(id)
	}
	return s
}
