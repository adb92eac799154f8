package dirblob

import (
	"bytes"
	"encoding/binary"
	"io"
	"mime"
	"path"

	"github.com/meeboter/meeboter/blob"
)

// magic opens every file the store writes. Like PNG's signature it starts
// with a non-ASCII byte and holds a CR LF, so no text file and no common
// media format begins with it, which is what lets files written before the
// store existed be told apart and read whole.
var magic = [8]byte{0x89, 'M', 'B', 'L', 'O', 'B', '\r', '\n'}

// headerFixed is the magic plus the two-byte length of the content type.
const headerFixed = len(magic) + 2

// encodeHeader returns the header for a content type, which
// blob.ContentType has bounded to 255 bytes.
func encodeHeader(contentType string) []byte {
	h := make([]byte, headerFixed, headerFixed+len(contentType))
	copy(h, magic[:])
	binary.BigEndian.PutUint16(h[len(magic):], uint16(len(contentType)))
	return append(h, contentType...)
}

// readHeader reads the header at the start of r, a file of size bytes
// stored under key, and returns the content type and where the object's
// bytes begin. A file without the header is an object of its own bytes
// alone, typed by its extension.
func readHeader(r io.ReaderAt, size int64, key string) (contentType string, offset int64, err error) {
	var fixed [headerFixed]byte
	n, err := r.ReadAt(fixed[:], 0)
	if err != nil && err != io.EOF {
		return "", 0, err
	}
	if n < headerFixed || !bytes.Equal(fixed[:len(magic)], magic[:]) {
		return guessType(key), 0, nil
	}
	ctLen := int64(binary.BigEndian.Uint16(fixed[len(magic):]))
	offset = int64(headerFixed) + ctLen
	if offset > size {
		return guessType(key), 0, nil
	}
	ct := make([]byte, ctLen)
	if _, err := r.ReadAt(ct, int64(headerFixed)); err != nil {
		return "", 0, err
	}
	return string(ct), offset, nil
}

// guessType names the content type of a file the store did not write.
func guessType(key string) string {
	if ct := mime.TypeByExtension(path.Ext(key)); ct != "" {
		return ct
	}
	return blob.DefaultContentType
}
