package local

import (
	"bytes"
	"cmp"
	"os"
	"os/exec"
	"sync"
	"syscall"
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

// pump hands the lines of one of the bot's streams to the LogSink. A
// quiet bot holds no buffer: the pump waits for the pipe to be readable
// and only then takes a read buffer from a pool, so a daemon with
// thousands of bots does not keep a buffer per stream (64 KB each, a
// quarter of a GB at 2,000 bots, and more resident memory as the heap
// grew around them).
func (l *Local) pump(r *os.File, botID int64, stream string) {
	defer r.Close()
	lines := lineSplitter{emit: func(b []byte) { l.sink(botID, stream, string(trimEOL(b))) }}
	defer lines.flush()
	rc, err := r.SyscallConn()
	if err != nil {
		l.log.Debug("read bot output", "bot_id", botID, "stream", stream, "error", err)
		return
	}
	// One closure for the pump's life, not one per read: output is a
	// hot path.
	var buf *[]byte
	var n int
	var rerr error
	read := func(fd uintptr) bool {
		buf = readBufs.Get().(*[]byte)
		for {
			if n, rerr = syscall.Read(int(fd), *buf); rerr != syscall.EINTR {
				break
			}
		}
		if rerr == syscall.EAGAIN {
			readBufs.Put(buf)
			buf = nil
			return false // wait, holding no buffer, until the pipe is readable
		}
		return true
	}
	for {
		buf, n, rerr = nil, 0, nil
		err := rc.Read(read)
		if n > 0 {
			lines.write((*buf)[:n])
		}
		if buf != nil {
			readBufs.Put(buf)
		}
		if err = cmp.Or(err, rerr); err != nil || n <= 0 {
			if err != nil {
				l.log.Debug("read bot output", "bot_id", botID, "stream", stream, "error", err)
			}
			return // n == 0: every writer closed the pipe
		}
	}
}

// readBufs are the pumps' read buffers, held only during a read.
var readBufs = sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}

// lineSplitter cuts a stream into lines. A line that arrives in one read
// is handed on from the read buffer; only the start of a line still
// missing its end is copied, up to maxLine, and a longer line arrives in
// pieces of maxLine.
type lineSplitter struct {
	partial []byte
	emit    func([]byte)
}

func (s *lineSplitter) write(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.keep(p)
			return
		}
		line := p[:i+1]
		if content := line[:i]; len(s.partial) == 0 && len(content) <= maxLine {
			s.emit(line)
		} else {
			s.keep(content)
			s.emit(s.partial)
		}
		s.reset()
		p = p[i+1:]
	}
}

// keep adds p to the unfinished line, handing on each maxLine piece
// once more of the line follows it.
func (s *lineSplitter) keep(p []byte) {
	for len(p) > 0 {
		if len(s.partial) == maxLine { // more follows: this piece is done
			s.emit(s.partial)
			s.reset()
		}
		n := min(len(p), maxLine-len(s.partial))
		s.partial = append(s.partial, p[:n]...)
		p = p[n:]
	}
}

// reset forgets the unfinished line, and its memory when it grew large.
func (s *lineSplitter) reset() {
	s.partial = s.partial[:0]
	if cap(s.partial) > 4<<10 {
		s.partial = nil
	}
}

// flush hands on what is left once the stream ends.
func (s *lineSplitter) flush() {
	if len(s.partial) > 0 {
		s.emit(s.partial)
		s.reset()
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
