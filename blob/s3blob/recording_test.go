package s3blob_test

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/blob/s3blob"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/wav"
)

func TestUploadRecording(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	data := wav.Tone(500*time.Millisecond, 440)
	key := s3blob.RecordingKey(7, "sandbox", wav.ContentType)
	if err := s3blob.UploadRecording(t.Context(), srv.Env(bucket), key, data); err != nil {
		t.Fatalf("UploadRecording: %v", err)
	}
	// Read it back the way the daemon will find it: another client, the
	// same bucket and key.
	out, err := srv.Client().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	defer out.Body.Close()
	got, _ := io.ReadAll(out.Body)
	if !bytes.Equal(got, data) || aws.ToString(out.ContentType) != wav.ContentType {
		t.Errorf("stored %d bytes of %s, want the %d-byte WAV as %s", len(got), aws.ToString(out.ContentType), len(data), wav.ContentType)
	}
}

func TestUploadRecording_Errors(t *testing.T) {
	t.Parallel()
	if err := s3blob.UploadRecording(t.Context(), map[string]string{}, "bots/1/recordings/r.wav", []byte("x")); !errors.Is(err, s3blob.ErrNotConfigured) {
		t.Errorf("no S3 environment: %v, want ErrNotConfigured", err)
	}
	env := map[string]string{"S3_BUCKET_NAME": "bucket", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s", "S3_ENDPOINT": "not a url"}
	if err := s3blob.UploadRecording(t.Context(), env, "bots/1/recordings/r.wav", []byte("x")); err == nil || !strings.Contains(err.Error(), "S3_ENDPOINT") {
		t.Errorf("bad endpoint: %v, want an error naming S3_ENDPOINT", err)
	}
	env["S3_ENDPOINT"] = "http://127.0.0.1:1"
	if err := s3blob.UploadRecording(t.Context(), env, "bots/1/recordings/r.exe", []byte("x")); err == nil || !strings.Contains(err.Error(), ".mp4, .webm or .wav") {
		t.Errorf("bad extension: %v", err)
	}
}

func TestRecordingKey(t *testing.T) {
	t.Parallel()
	key := s3blob.RecordingKey(123, "google-meet", "video/mp4")
	if !regexp.MustCompile(`^bots/123/recordings/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-google-meet\.mp4$`).MatchString(key) {
		t.Errorf("RecordingKey = %q", key)
	}
	if key == s3blob.RecordingKey(123, "google-meet", "video/mp4") {
		t.Error("two recording keys are the same")
	}
	if got := s3blob.RecordingKey(1, "sandbox", "audio/wav; codecs=1"); !strings.HasSuffix(got, "-sandbox.wav") {
		t.Errorf("with parameters: %q", got)
	}
}
