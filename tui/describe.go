package tui

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/scroll"
)

// describeMsg asks the root model to describe a bot.
type describeMsg struct{ id int64 }

// describeView shows all there is to know of one bot: why it ended, its
// metadata, and the bot as the API sends it (JSON), scrollable, kept
// current by the stream.
type describeView struct {
	c             *Common
	f             *fleet
	id            int64
	body          *scroll.View
	width, height int
}

func newDescribeView(c *Common, f *fleet) *describeView {
	return &describeView{c: c, f: f, body: scroll.New()}
}

// open shows another bot, from its top.
func (v *describeView) open(id int64) {
	v.id, v.body = id, scroll.New()
	v.body.Follow = false
	v.SetSize(v.width, v.height)
	v.sync()
}

func (v *describeView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.body.SetSize(w, h)
}

func (v *describeView) Capturing() bool { return false }

func (v *describeView) Bindings() []keysBinding {
	k := v.c.Keys
	return []keysBinding{k.Back, {Label: "↑↓", Help: "scroll"}, k.PageDown}
}

func (v *describeView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case k.Back.Matches(msg), k.Describe.Matches(msg):
		return emit(backMsg{})
	case k.Up.Matches(msg):
		v.body.Scroll(-1)
	case k.Down.Matches(msg):
		v.body.Scroll(1)
	case k.PageUp.Matches(msg):
		v.body.Scroll(-v.body.Page())
	case k.PageDown.Matches(msg):
		v.body.Scroll(v.body.Page())
	case k.Top.Matches(msg):
		v.body.Scroll(-1 << 20)
	case k.Bottom.Matches(msg):
		v.body.Scroll(1 << 20)
	}
	return nil
}

func (v *describeView) Render() string { return v.body.Render() }

// sync redraws the text from the fleet's copy of the bot.
func (v *describeView) sync() {
	b, ok := v.f.bot(v.id)
	if !ok {
		v.body.SetLines([]string{v.c.Styles.Muted.Render(fmt.Sprintf("bot %d is not known to the dashboard", v.id))})
		return
	}
	v.body.SetLines(v.lines(b))
}

func (v *describeView) lines(b api.Bot) []string {
	st := v.c.Styles
	out := []string{
		st.Title.Render(fmt.Sprintf("Bot #%d %s", b.ID, b.DisplayName)) + "  " + st.Status(b.Status).Render(string(b.Status)),
		"",
		st.Header.Render("End"),
	}
	switch {
	case !b.Status.Terminal():
		out = append(out, st.Muted.Render("  not ended"))
	default:
		out = append(out, "  "+st.Label.Render("reason")+" "+orDash(b.EndReason), "  "+st.Label.Render("detail")+" "+orDash(b.EndDetail))
	}
	out = append(out, "", st.Header.Render("Metadata"))
	if len(b.Metadata) == 0 {
		out = append(out, st.Muted.Render("  none"))
	}
	for _, k := range slices.Sorted(maps.Keys(b.Metadata)) {
		out = append(out, "  "+st.Label.Render(k)+" = "+b.Metadata[k])
	}
	var raw strings.Builder
	enc := json.NewEncoder(&raw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // meeting URLs keep their & as typed
	_ = enc.Encode(b)
	out = append(out, "", st.Header.Render("JSON"))
	return append(out, strings.Split(strings.TrimSuffix(raw.String(), "\n"), "\n")...)
}
