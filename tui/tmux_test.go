package tui

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTmux runs the real binary: a daemon in local mode with sandbox bots,
// and "meeboter dashboard" in a tmux pane whose screen the test reads. It
// needs tmux and a working daemon, so it only runs with MEEBOTER_TMUX_TEST=1.
func TestTmux(t *testing.T) {
	if os.Getenv("MEEBOTER_TMUX_TEST") != "1" {
		t.Skip("set MEEBOTER_TMUX_TEST=1 to run the dashboard in tmux against a real daemon")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	e := startDaemon(t)
	// Bot 1 waits for a join time an hour away; bots 2 to 4 stay in their
	// call, heartbeating every second, until asked to leave.
	e.run(t, "bot", "create", "--meeting-url", "https://meet.google.com/abc-defg-hij", "--join-at", "+1h")
	for range 3 {
		e.run(t, "bot", "create", "--meeting-url", "https://meet.google.com/abc-defg-hij",
			"--metadata", "sandbox.call-ends-after=5m", "--metadata", "sandbox.step-delay=300ms",
			"--metadata", "sandbox.heartbeat-interval=1s")
	}
	pane := e.startDashboard(t)
	first := pane.waitFor(t, 30*time.Second, func(s string) bool { return strings.Contains(s, "● live") })
	t.Logf("overview:\n%s", first)

	pane.keys(t, "2")
	inCall := func(s string) bool {
		return rowStatus(s, 2) == "IN_CALL" && rowStatus(s, 3) == "IN_CALL" && rowStatus(s, 4) == "IN_CALL"
	}
	t.Logf("bots:\n%s", pane.waitFor(t, 60*time.Second, inCall))

	t.Run("HeartbeatColumn", func(t *testing.T) { heartbeatColumn(t, e, pane) })

	// Select bots 4 and 3 (the top two rows) and leave them in one go.
	pane.keys(t, "g", "Space", "Space", "l")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "Leave 2 bots (3, 4)? [y/n]") })
	pane.keys(t, "y")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "asked 2 bots to leave") })
	left := pane.waitFor(t, 60*time.Second, func(s string) bool { return ending(rowStatus(s, 3)) && ending(rowStatus(s, 4)) })
	t.Logf("after leaving 3 and 4:\n%s", left)
	if rowStatus(left, 2) != "IN_CALL" {
		t.Fatalf("bot 2 was not selected but is %s", rowStatus(left, 2))
	}

	// Cancel the scheduled bot under the cursor, with nothing selected.
	pane.keys(t, "G", "c")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "Cancel bot 1? [y/n]") })
	pane.keys(t, "y")
	pane.waitFor(t, 30*time.Second, func(s string) bool { return rowStatus(s, 1) == "DONE" })

	// Open bot 2 and make it leave from its own view.
	pane.keys(t, "k", "Enter")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "Bot #2") })
	pane.keys(t, "l")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "Leave bot 2? [y/n]") })
	pane.keys(t, "y")
	done := pane.waitFor(t, 60*time.Second, func(s string) bool { return leftRE.MatchString(s) })
	t.Logf("bot after leave:\n%s", done)
}

// heartbeatColumn watches the HEARTBEAT of a bot in its call for longer
// than the column would grow without the stream's heartbeats events: it
// must stay within a few seconds throughout.
func heartbeatColumn(t *testing.T, e *tmuxEnv, pane *tmuxPane) {
	start := time.Now()
	worst := time.Duration(0)
	pane.waitFor(t, 30*time.Second, func(s string) bool {
		hb, ok := heartbeatAge(s, 2)
		if !ok {
			return false
		}
		worst = max(worst, hb)
		if hb > 6*time.Second {
			t.Fatalf("bot 2's heartbeat shows %s old after %s in the call:\n%s", hb, time.Since(start).Round(time.Second), s)
		}
		return time.Since(start) > 15*time.Second
	})
	t.Logf("over 15s the HEARTBEAT column showed at most %s", worst)
}

// leftRE matches the bot view's title once the bot is on its way out.
var leftRE = regexp.MustCompile(`Bot #2 .*(LEAVING|CALL_ENDED|DONE)`)

func ending(status string) bool {
	return status == "LEAVING" || status == "CALL_ENDED" || status == "DONE"
}

var rowRE = regexp.MustCompile(`^[ ›•]{2}(\d+)\s+([A-Z_]+)\s`)

// rowStatus is the status of a bot in the list on screen, or "".
func rowStatus(screen string, id int64) string {
	for _, line := range strings.Split(screen, "\n") {
		if m := rowRE.FindStringSubmatch(line); m != nil && m[1] == itoa(id) {
			return m[2]
		}
	}
	return ""
}

// heartbeatAge reads a bot's HEARTBEAT cell ("3s", "2m") on screen.
func heartbeatAge(screen string, id int64) (time.Duration, bool) {
	for _, line := range strings.Split(screen, "\n") {
		if m := rowRE.FindStringSubmatch(line); m != nil && m[1] == itoa(id) {
			fields := strings.Fields(line[strings.Index(line, m[1]):])
			// ID STATUS MEETING NAME AGE PLATFORM HEARTBEAT ...
			if len(fields) < 7 {
				return 0, false
			}
			d, err := time.ParseDuration(fields[6])
			return d, err == nil
		}
	}
	return 0, false
}
