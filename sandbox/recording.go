package sandbox

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/meeboter/meeboter/blob/s3blob"
	"github.com/meeboter/meeboter/wav"
)

// recordingLength is the sandbox's stand-in recording: a few seconds of
// tone, small enough to upload in one request.
const recordingLength = 3 * time.Second

// S3FromEnv picks the S3_* variables out of an environment: the bucket
// settings a bot uploads its recording with.
func S3FromEnv(environ []string) map[string]string {
	out := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "S3_") && v != "" {
			out[k] = v
		}
	}
	return out
}

// record uploads the sandbox's recording, a WAV tone, to the bucket its
// S3_* settings name, under a key in the layout the bot images use, and
// returns the key for DONE. Like the bot images it reports no recording
// when no bucket is configured or the upload fails; it says why in its
// log.
func (b *bot) record(ctx context.Context) string {
	platform := cmp.Or(b.conf.Meeting.Platform, "sandbox")
	key := s3blob.RecordingKey(b.cfg.BotID, platform, "audio/wav")
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := s3blob.UploadRecording(ctx, b.cfg.S3, key, wav.Tone(recordingLength, 440))
	switch {
	case errors.Is(err, s3blob.ErrNotConfigured):
		b.log.Warn("recording asked for, but no S3 bucket is configured: none is uploaded")
		return ""
	case err != nil:
		b.log.Error("recording upload failed", "error", err.Error())
		return ""
	}
	b.log.Info("recording uploaded", "key", key)
	return key
}
