// Package wav generates small, valid WAV files: the recording the sandbox
// bot uploads in place of a real meeting's, so the whole recording path
// (upload, key, signed download, playback) can be exercised with no
// meeting and no binary asset in the repository.
package wav

import (
	"encoding/binary"
	"math"
	"time"
)

// ContentType is the media type of what Tone returns.
const ContentType = "audio/wav"

// Format of the generated audio: 8 kHz, 16-bit, mono PCM, which every
// player decodes and which keeps a second of sound at 16 KB.
const (
	SampleRate    = 8000
	BitsPerSample = 16
	Channels      = 1
)

// headerSize is the RIFF header plus the fmt and data chunk headers.
const headerSize = 44

// Tone returns a WAV file holding d of a sine tone at hz, faded in and
// out so it starts and ends without a click. d is rounded down to whole
// samples.
func Tone(d time.Duration, hz float64) []byte {
	n := int(d.Seconds() * SampleRate)
	dataSize := n * Channels * BitsPerSample / 8
	b := make([]byte, headerSize, headerSize+dataSize)
	writeHeader(b, dataSize)
	fade := max(1, min(n/10, SampleRate/50)) // up to 20 ms each end
	for i := range n {
		gain := min(1, float64(i)/float64(fade), float64(n-1-i)/float64(fade))
		v := 0.5 * gain * math.Sin(2*math.Pi*hz*float64(i)/SampleRate)
		b = binary.LittleEndian.AppendUint16(b, uint16(int16(v*math.MaxInt16)))
	}
	return b
}

// writeHeader fills the canonical 44-byte header of a PCM WAV file.
func writeHeader(b []byte, dataSize int) {
	le := binary.LittleEndian
	blockAlign := Channels * BitsPerSample / 8
	copy(b[0:], "RIFF")
	le.PutUint32(b[4:], uint32(headerSize-8+dataSize))
	copy(b[8:], "WAVE")
	copy(b[12:], "fmt ")
	le.PutUint32(b[16:], 16) // fmt chunk size for PCM
	le.PutUint16(b[20:], 1)  // PCM
	le.PutUint16(b[22:], Channels)
	le.PutUint32(b[24:], SampleRate)
	le.PutUint32(b[28:], uint32(SampleRate*blockAlign))
	le.PutUint16(b[32:], uint16(blockAlign))
	le.PutUint16(b[34:], BitsPerSample)
	copy(b[36:], "data")
	le.PutUint32(b[40:], uint32(dataSize))
}
