package tui

import (
	"context"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/tui/keys"
	"github.com/meeboter/meeboter/tui/styles"
)

// state is where the dashboard is in starting up.
type state int

const (
	stateLoading state = iota
	stateError
	stateReady
)

// viewID names a screen.
type viewID int

const (
	viewOverview viewID = iota
	viewBots
	viewQueue
	viewSlots
	viewBot
	viewHelp
	viewDescribe
)

// Options tune the dashboard.
type Options struct {
	// Now is the clock; tests fix it. Defaults to time.Now.
	Now func() time.Time
	// NoColor draws plain text. Run also sets it for NO_COLOR and when
	// stdout is not a colour terminal; tests set it for plain golden files.
	NoColor bool
	// RefreshInterval is how often pool, slots and queue are re-read in
	// full. Bot changes on the stream trigger a re-read of what they
	// touch at once (see RefetchDelay), so this only catches what the
	// stream cannot show: other users' bots taking shared capacity or
	// places in the queue. Defaults to 30 s.
	RefreshInterval time.Duration
	// RefetchDelay is how long after a bot change the parts it touched
	// (pool, queue, slots) are re-read, so a burst of changes costs one
	// read. Defaults to 500 ms.
	RefetchDelay time.Duration
	// Input and Output are the terminal; they default to stdin and stdout.
	Input  io.Reader
	Output io.Writer
}

// Model is the dashboard's root model. It owns all state and routes every
// message; the views only draw it and turn keys into intents.
type Model struct {
	ctx    context.Context
	client Client
	opts   Options
	common *Common
	fleet  *fleet

	state       state
	err         error
	loadedBots  bool
	loadedPool  bool
	current     viewID
	previous    viewID
	helpReturn  viewID
	notice      string
	noticeIsErr bool
	streams     [2]streamState
	views       map[viewID]view
	bot         *botView
	bots        *botsView
	describe    *describeView
	// describeReturn is the view the describe view goes back to.
	describeReturn viewID
	// stale are the parts of the fleet a bot change made out of date, to
	// be re-read when refetchPending's timer fires.
	stale          fleetPart
	refetchPending bool
	quitting       bool
}

// New returns the root model. ctx bounds every request and stream.
func New(ctx context.Context, c Client, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RefreshInterval <= 0 {
		opts.RefreshInterval = 30 * time.Second
	}
	if opts.RefetchDelay <= 0 {
		opts.RefetchDelay = 500 * time.Millisecond
	}
	common := &Common{Styles: styles.New(!opts.NoColor), Keys: keys.Default(), Now: opts.Now}
	f := newFleet()
	m := &Model{ctx: ctx, client: c, opts: opts, common: common, fleet: f, current: viewOverview}
	m.bots = newBotsView(common, f)
	m.bot = newBotView(common, f)
	m.describe = newDescribeView(common, f)
	m.views = map[viewID]view{
		viewDescribe: m.describe,
		viewOverview: newOverview(common, f),
		viewBots:     m.bots,
		viewQueue:    newQueueView(common, f),
		viewSlots:    newSlotsView(common, f),
		viewBot:      m.bot,
		viewHelp:     newHelpView(common),
	}
	return m
}

// Init starts the initial load, the fleet stream and the timers.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.load(), m.openStream(fleetStream, 0), tickRefresh(m.opts.RefreshInterval), tickClock())
}

func (m *Model) load() tea.Cmd {
	return tea.Batch(loadBots(m.ctx, m.client), refreshFleet(m.ctx, m.client, partAll))
}

// View draws the screen for the current state.
func (m *Model) View() tea.View {
	var s string
	switch {
	case m.quitting:
		s = ""
	case m.state == stateLoading:
		s = m.renderLoading()
	case m.state == stateError:
		s = m.renderError()
	default:
		s = m.renderReady()
	}
	v := tea.NewView(s)
	v.AltScreen = true
	v.WindowTitle = "meeboter dashboard"
	return v
}
