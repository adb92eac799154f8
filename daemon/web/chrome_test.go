package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Environment of the browser tests.
const (
	// envRequireBrowser makes a missing Chromium a failure instead of a
	// skip, so CI cannot pass without having run the browser tests.
	envRequireBrowser = "MEEBOTER_REQUIRE_BROWSER"
	// envChromium names the browser binary; by default the first of
	// chromium, chromium-browser and google-chrome on PATH.
	envChromium = "MEEBOTER_CHROMIUM"
	// envScreenshots is where the tests write their screenshots of every
	// page; by default a temporary directory of the test.
	envScreenshots = "MEEBOTER_SCREENSHOT_DIR"
)

// stepTimeout bounds every browser step; a bot's whole life in the
// sandbox takes seconds, so this is only there to fail instead of hang.
const stepTimeout = 45 * time.Second

func chromiumPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(envChromium); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(envRequireBrowser) == "1" {
		tb.Fatalf("%s=1 but no Chromium was found: install it (apt-get install -y chromium) or set %s", envRequireBrowser, envChromium)
	}
	tb.Skipf("no Chromium found (apt-get install -y chromium, or set %s); set %s=1 to fail instead", envChromium, envRequireBrowser)
	return ""
}

// chrome is one headless Chromium with one tab, for one test. It accepts
// every confirm() dialog, as a person clicking OK would, and records what
// the pages write to the console, so a script error or a blocked resource
// fails the test.
type chrome struct {
	t     *testing.T
	ctx   context.Context
	shots string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

func newChrome(t *testing.T) *chrome {
	t.Helper()
	exe := chromiumPath(t)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800))
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no timeout
		t.Fatalf("start %s: %v", exe, err)
	}
	c := &chrome{t: t, ctx: ctx, shots: os.Getenv(envScreenshots)}
	if c.shots == "" {
		c.shots = t.TempDir()
	}
	if err := os.MkdirAll(c.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	c.watch()
	c.do(chromedp.EmulateViewport(1280, 800))
	t.Cleanup(c.checkConsole)
	return c
}

// watch accepts dialogs and collects console messages until the test ends.
func (c *chrome) watch() {
	dialogs := chromedp.Events(c.ctx, cdppage.JavascriptDialogOpening)
	messages := chromedp.Console(c.ctx)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(c.ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.console = append(c.console, m)
			c.mu.Unlock()
		}
	}()
}

// checkConsole fails on script exceptions and on anything the
// Content-Security-Policy refused. Failed loads of pages the test meant
// to be refused (404s, 403s) are expected.
func (c *chrome) checkConsole() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.console {
		text := m.String()
		if m.IsException() || strings.Contains(text, "Content Security Policy") || strings.Contains(text, "Refused to") {
			c.t.Errorf("browser console: %s (%s:%d)", text, m.URL, m.Line+1)
		}
	}
}

func (c *chrome) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, stepTimeout)
}

// do runs steps that return nothing, failing the test on error.
func (c *chrome) do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		c.t.Fatalf("browser: %v", err)
	}
}

// open loads a page and returns its HTTP status.
func (c *chrome) open(url string) int64 {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		c.t.Fatalf("open %s: %v", url, err)
	}
	c.do(chromedp.WaitReady(chromedp.CSS("body")))
	return resp.Status
}

// submit clicks a button that posts its form and waits for the page the
// answer loads: subscribed before the click, so the load cannot be missed.
func (c *chrome) submit(sel string) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		c.t.Fatalf("submit %s: %v", sel, err)
	}
	c.do(chromedp.WaitReady(chromedp.CSS("body")))
}

// text reads an element's text.
func (c *chrome) text(sel string) string {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval evaluates an expression for its value.
func eval[T any](c *chrome, js string) T {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		c.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// waitText waits until the element's text contains want. It polls on a
// timer, not on animation frames, which a headless tab may not paint.
func (c *chrome) waitText(sel, want string) {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.PollFunction[bool](
		`(sel, want) => { const el = document.querySelector(sel); return !!el && el.textContent.includes(want); }`,
		chromedp.WithPollingArgs(sel, want), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		c.t.Fatalf("waiting for %q in %s (it reads %q): %v", want, sel, c.text(sel), err)
	}
}

// mark tags the loaded document; marked tells whether the tab still shows
// that document, that is, whether nothing reloaded the page since.
func (c *chrome) mark() {
	c.t.Helper()
	eval[chromedp.Void](c, `window.__meeboterMark = "unchanged"`)
}

func (c *chrome) marked() bool {
	c.t.Helper()
	return eval[string](c, `window.__meeboterMark || ""`) == "unchanged"
}

// Viewports of the screenshots: a desktop and a phone.
var viewports = []struct {
	name          string
	width, height int64
	mobile        bool
}{{"desktop", 1280, 800, false}, {"phone", 390, 844, true}}

// shoot screenshots the page at each viewport into the screenshot
// directory, then returns to the desktop size.
func (c *chrome) shoot(name string) {
	c.t.Helper()
	for _, vp := range viewports {
		opts := []chromedp.EmulateViewportOption{}
		if vp.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		c.do(chromedp.EmulateViewport(vp.width, vp.height, opts...))
		png := c.capture()
		path := filepath.Join(c.shots, name+"-"+vp.name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
	c.do(chromedp.EmulateViewport(1280, 800))
}

func (c *chrome) capture() []byte {
	c.t.Helper()
	ctx, cancel := c.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		c.t.Fatalf("screenshot: %v", err)
	}
	return png
}

// signIn signs the browser in through the sign-in form.
func (c *chrome) signIn(base, key string) {
	c.t.Helper()
	c.open(base + "/signin")
	c.do(chromedp.SendKeys(chromedp.ID("key"), key))
	c.submit(`form[action="/signin"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
}
