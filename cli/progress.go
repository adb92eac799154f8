package cli

import (
	"fmt"
	"strings"
	"time"
)

// progress draws a download's progress bar on stderr when it is a
// terminal, redrawn at most ten times a second; elsewhere it draws
// nothing, so logs and pipes get no carriage returns.
type progress struct {
	ios   *IOStreams
	total int64 // -1: unknown
	got   int64
	drawn time.Time
	on    bool
}

const progressWidth = 30

func newProgress(ios *IOStreams, total int64) *progress {
	return &progress{ios: ios, total: total, on: ios.IsStderrTTY()}
}

// Write counts bytes passing to the file.
func (p *progress) Write(b []byte) (int, error) {
	p.got += int64(len(b))
	if p.on && time.Since(p.drawn) >= 100*time.Millisecond {
		p.drawn = time.Now()
		p.draw()
	}
	return len(b), nil
}

// done draws the final state and ends the line.
func (p *progress) done() {
	if p.on {
		p.draw()
		fmt.Fprintln(p.ios.ErrOut)
	}
}

func (p *progress) draw() {
	fmt.Fprint(p.ios.ErrOut, "\r"+p.line())
}

// line is the bar: [#####.....]  50%  1.2 MB of 2.4 MB, or only the bytes
// when the size is unknown.
func (p *progress) line() string {
	if p.total <= 0 {
		return fmt.Sprintf("downloaded %s", byteSize(p.got))
	}
	filled := int(min(p.got, p.total) * progressWidth / p.total)
	return fmt.Sprintf("[%s%s] %3d%%  %s of %s", strings.Repeat("#", filled), strings.Repeat(".", progressWidth-filled),
		min(p.got, p.total)*100/p.total, byteSize(p.got), byteSize(p.total))
}
