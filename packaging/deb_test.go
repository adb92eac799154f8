package packaging

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// archiveFile is one file of a package or archive. Content is kept only
// for small files; the binary is known by its size, mode and first bytes.
type archiveFile struct {
	mode    fs.FileMode
	size    int64
	head    []byte
	content []byte
}

// maxKept bounds the files whose whole content readTarGz keeps.
const maxKept = 1 << 20

// readTarGz lists a gzip-compressed tar stream.
func readTarGz(r io.Reader) (map[string]archiveFile, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	files := map[string]archiveFile{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		f := archiveFile{mode: h.FileInfo().Mode().Perm(), size: h.Size}
		data, err := io.ReadAll(io.LimitReader(tr, maxKept+1))
		if err != nil {
			return nil, err
		}
		f.head = data[:min(len(data), 4)]
		if len(data) <= maxKept {
			f.content = data
		}
		files[h.Name] = f
	}
}

// deb is a Debian package: the files of its control and data archives.
type deb struct {
	control, data map[string]archiveFile
}

// readDeb reads a .deb: an ar archive of debian-binary, control.tar.gz
// and data.tar.gz (nfpm's default compression, which goreleaser.yaml
// keeps).
func readDeb(path string) (deb, error) {
	f, err := os.Open(path)
	if err != nil {
		return deb{}, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, 8)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != "!<arch>\n" {
		return deb{}, fmt.Errorf("%s: not an ar archive", path)
	}
	var d deb
	for {
		name, body, err := nextArMember(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return deb{}, fmt.Errorf("%s: %w", path, err)
		}
		switch {
		case name == "control.tar.gz":
			d.control, err = readTarGz(body)
		case name == "data.tar.gz":
			d.data, err = readTarGz(body)
		case strings.HasPrefix(name, "control.tar") || strings.HasPrefix(name, "data.tar"):
			err = fmt.Errorf("member %s: only gzip is read here", name)
		default:
			_, err = io.Copy(io.Discard, body)
		}
		if err != nil {
			return deb{}, fmt.Errorf("%s: %w", path, err)
		}
		if _, err := io.Copy(io.Discard, body); err != nil { // the rest of a member the tar reader left
			return deb{}, err
		}
	}
	if d.control == nil || d.data == nil {
		return deb{}, fmt.Errorf("%s: control or data archive missing", path)
	}
	return d, nil
}

// nextArMember reads one ar header and returns the member's name and a
// reader of its body, which the caller must drain before the next call.
func nextArMember(r *bufio.Reader) (string, io.Reader, error) {
	// Members start on even offsets; a body of odd size is padded with \n.
	if b, err := r.Peek(1); err == nil && b[0] == '\n' {
		_, _ = r.Discard(1)
	}
	h := make([]byte, 60)
	if _, err := io.ReadFull(r, h); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return "", nil, errors.New("truncated ar header")
		}
		return "", nil, err
	}
	if string(h[58:60]) != "`\n" {
		return "", nil, errors.New("bad ar header")
	}
	size, err := strconv.ParseInt(strings.TrimSpace(string(h[48:58])), 10, 64)
	if err != nil || size < 0 {
		return "", nil, fmt.Errorf("bad ar member size %q", h[48:58])
	}
	name := strings.TrimSuffix(strings.TrimSpace(string(h[0:16])), "/")
	return name, io.LimitReader(r, size), nil
}

// controlField returns a field of a deb's control file.
func (d deb) controlField(name string) string {
	for line := range strings.Lines(string(d.control["./control"].content)) {
		if v, ok := strings.CutPrefix(line, name+": "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// equal reports whether an archived file holds exactly want.
func (f archiveFile) equal(want []byte) bool {
	return f.content != nil && bytes.Equal(f.content, want)
}
