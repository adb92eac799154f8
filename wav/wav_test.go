package wav_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/wav"
)

// pcm is what a reader of a WAV file learns from it.
type pcm struct {
	format, channels, bits uint16
	rate, byteRate         uint32
	blockAlign             uint16
	samples                []int16
}

// parse reads a WAV file chunk by chunk, as a player does, checking every
// size field against the bytes that are really there.
func parse(b []byte) (pcm, error) {
	le := binary.LittleEndian
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return pcm{}, errors.New("not a RIFF WAVE file")
	}
	if int(le.Uint32(b[4:]))+8 != len(b) {
		return pcm{}, fmt.Errorf("RIFF size %d does not match file size %d", le.Uint32(b[4:]), len(b))
	}
	var p pcm
	var sawFmt, sawData bool
	for rest := b[12:]; len(rest) > 0; {
		if len(rest) < 8 {
			return pcm{}, errors.New("truncated chunk header")
		}
		id, size := string(rest[0:4]), int(le.Uint32(rest[4:]))
		if size > len(rest)-8 {
			return pcm{}, fmt.Errorf("chunk %q of %d bytes overruns the file", id, size)
		}
		body := rest[8 : 8+size]
		switch id {
		case "fmt ":
			p.format, p.channels = le.Uint16(body[0:]), le.Uint16(body[2:])
			p.rate, p.byteRate = le.Uint32(body[4:]), le.Uint32(body[8:])
			p.blockAlign, p.bits = le.Uint16(body[12:]), le.Uint16(body[14:])
			sawFmt = true
		case "data":
			if !sawFmt {
				return pcm{}, errors.New("data before fmt")
			}
			for i := 0; i+1 < len(body); i += 2 {
				p.samples = append(p.samples, int16(le.Uint16(body[i:])))
			}
			sawData = true
		}
		rest = rest[8+size+size%2:]
	}
	if !sawData {
		return pcm{}, errors.New("no data chunk")
	}
	return p, nil
}

func TestTone(t *testing.T) {
	t.Parallel()
	b := wav.Tone(500*time.Millisecond, 440)
	if len(b) > 10_000 {
		t.Errorf("half a second is %d bytes, want a small file", len(b))
	}
	p, err := parse(b)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if p.format != 1 || p.channels != 1 || p.bits != 16 || p.rate != 8000 || p.byteRate != 16000 || p.blockAlign != 2 {
		t.Errorf("format = %+v, want 8 kHz 16-bit mono PCM", p)
	}
	if len(p.samples) != 4000 {
		t.Fatalf("%d samples, want 4000", len(p.samples))
	}
	if p.samples[0] != 0 || abs(p.samples[len(p.samples)-1]) > 200 {
		t.Errorf("tone starts at %d and ends at %d, want silence at both ends", p.samples[0], p.samples[len(p.samples)-1])
	}
	// 440 Hz crosses zero 880 times a second: about 440 times in 0.5 s.
	crossings := 0
	for i := 1; i < len(p.samples); i++ {
		if (p.samples[i-1] < 0) != (p.samples[i] < 0) {
			crossings++
		}
	}
	if crossings < 430 || crossings > 450 {
		t.Errorf("%d zero crossings, want about 440 for a 440 Hz tone", crossings)
	}
	var peak int16
	for _, s := range p.samples {
		peak = max(peak, abs(s))
	}
	if want := int16(math.MaxInt16 / 2); peak < want-100 || peak > want+1 {
		t.Errorf("peak %d, want about %d (half scale)", peak, want)
	}
}

// TestTone_Decoders hands the file to the tools installed that identify
// audio (ffprobe decodes it; file(1) reads its header); the parser above
// is the check everywhere else.
func TestTone_Decoders(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "tone.wav")
	if err := os.WriteFile(path, wav.Tone(time.Second, 440), 0o600); err != nil {
		t.Fatal(err)
	}
	tools := []struct {
		name string
		args []string
		want string
	}{
		{"ffprobe", []string{"-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", path}, "pcm_s16le,8000,1"},
		{"file", []string{"-b", path}, "RIFF (little-endian) data, WAVE audio, Microsoft PCM, 16 bit, mono 8000 Hz"},
	}
	ran := 0
	for _, tool := range tools {
		bin, err := exec.LookPath(tool.name)
		if err != nil {
			continue
		}
		ran++
		out, err := exec.CommandContext(t.Context(), bin, tool.args...).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != tool.want {
			t.Errorf("%s: %q, %v; want %q", tool.name, out, err, tool.want)
		}
	}
	if ran == 0 {
		t.Skip("neither ffprobe nor file is installed; the parser in TestTone checks the file")
	}
}

func TestTone_Short(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{0, time.Millisecond, 10 * time.Millisecond} {
		if _, err := parse(wav.Tone(d, 440)); err != nil {
			t.Errorf("Tone(%s): %v", d, err)
		}
	}
}

func abs(v int16) int16 {
	if v < 0 {
		return -v
	}
	return v
}
