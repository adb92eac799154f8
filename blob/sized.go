package blob

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// SizedReader returns r checked against a Put's declared size: reading
// past size bytes, or reaching EOF before them, fails with an error naming
// the size, so a truncated or overlong body never becomes an object. A
// size of -1 only adds the context check. Each Read fails once ctx is
// done, so a long upload stops when its caller gives up. A nil r is an
// empty body.
func SizedReader(ctx context.Context, r io.Reader, size int64) io.Reader {
	if r == nil {
		r = strings.NewReader("")
	}
	return &sizedReader{ctx: ctx, r: r, size: size}
}

type sizedReader struct {
	ctx  context.Context
	r    io.Reader
	size int64 // -1: unknown
	read int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	if s.size >= 0 && int64(len(p)) > s.size-s.read+1 {
		// Read at most one byte past the end: enough to notice a body that
		// is too long without consuming more of it.
		p = p[:s.size-s.read+1]
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	if s.size < 0 {
		return n, err
	}
	if s.read > s.size {
		return n, fmt.Errorf("%w: size: body is longer than the declared %d bytes", ErrInvalid, s.size)
	}
	if err == io.EOF && s.read < s.size {
		return n, fmt.Errorf("%w: size: body ended after %d of the declared %d bytes", ErrInvalid, s.read, s.size)
	}
	return n, err
}
