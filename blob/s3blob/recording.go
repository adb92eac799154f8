package s3blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path"
	"strings"
)

// ErrNotConfigured means the environment names no bucket, so there is
// nowhere to upload to. A bot reports DONE without a recording then, as
// the bot images do when their S3_* variables are missing.
var ErrNotConfigured = errors.New("s3blob: no bucket configured (S3_BUCKET_NAME is empty)")

// recordingTypes maps the extensions of recording keys to their content
// types; the bot images derive the extension from the type the same way.
var recordingTypes = map[string]string{
	".mp4":  "video/mp4",
	".webm": "video/webm",
	".wav":  "audio/wav",
}

// UploadRecording uploads a bot's recording under key to the bucket its
// S3_* environment names, straight from the bot, as the bot images do:
// the daemon never sees the bytes, only the key the bot then reports with
// DONE. The content type follows the key's extension (.mp4, .webm,
// .wav). An environment without S3_BUCKET_NAME gives ErrNotConfigured.
func UploadRecording(ctx context.Context, env map[string]string, key string, data []byte) error {
	if env[EnvBucket] == "" {
		return ErrNotConfigured
	}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		return fmt.Errorf("recording upload: %w", err)
	}
	s, err := New(cfg)
	if err != nil {
		return err
	}
	ct, ok := recordingTypes[path.Ext(key)]
	if !ok {
		return fmt.Errorf("recording upload: key %q must end in .mp4, .webm or .wav", key)
	}
	return s.Put(ctx, key, bytes.NewReader(data), int64(len(data)), ct)
}

// RecordingKey returns a fresh key for a bot's recording in the layout the
// bot images use, bots/{botID}/recordings/{uuid}-{platform}.{ext}, where
// ext is the subtype of contentType (video/webm gives webm).
func RecordingKey(botID int64, platform, contentType string) string {
	_, ext, _ := strings.Cut(contentType, "/")
	ext, _, _ = strings.Cut(ext, ";")
	return fmt.Sprintf("bots/%d/recordings/%s-%s.%s", botID, uuid4(), platform, strings.TrimSpace(ext))
}

// uuid4 returns a random RFC 9562 version 4 UUID.
func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
