package local

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"sync"
)

// maxLine bounds one line passed to the LogSink; longer lines arrive in
// pieces rather than holding the process up.
const maxLine = 64 << 10

// outputPumps copies a bot's stdout and stderr, line by line, to the
// LogSink. The process writes into plain pipes whose read ends we own, so
// reading goes on until every writer (the shell and anything it started)
// has closed them, independently of when the shell is reaped.
type outputPumps struct {
	readers []*os.File
	writers []*os.File
	done    chan struct{}
}

func (l *Local) attachOutput(cmd *exec.Cmd, botID int64) (*outputPumps, error) {
	pp := &outputPumps{done: make(chan struct{})}
	for range 2 {
		r, w, err := os.Pipe()
		if err != nil {
			pp.abort()
			return nil, err
		}
		pp.readers = append(pp.readers, r)
		pp.writers = append(pp.writers, w)
	}
	cmd.Stdout, cmd.Stderr = pp.writers[0], pp.writers[1]
	var wg sync.WaitGroup
	for i, stream := range []string{"stdout", "stderr"} {
		r := pp.readers[i]
		wg.Go(func() { l.pump(r, botID, stream) })
	}
	go func() { wg.Wait(); close(pp.done) }()
	return pp, nil
}

// started closes our copies of the write ends, so the readers see EOF
// once the bot's side closes too.
func (pp *outputPumps) started() {
	for _, w := range pp.writers {
		w.Close()
	}
}

// abort closes everything when the process never started.
func (pp *outputPumps) abort() {
	pp.started()
	for _, r := range pp.readers {
		r.Close()
	}
}

func (l *Local) pump(r *os.File, botID int64, stream string) {
	defer r.Close()
	br := bufio.NewReaderSize(r, maxLine)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			l.sink(botID, stream, string(trimEOL(line)))
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err != io.EOF {
				l.log.Debug("read bot output", "bot_id", botID, "stream", stream, "error", err)
			}
			return
		}
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

func (l *Local) sink(botID int64, stream, line string) {
	if l.cfg.LogSink != nil {
		l.cfg.LogSink(botID, stream, line)
		return
	}
	l.log.Debug("bot output", "bot_id", botID, "stream", stream, "line", line)
}
