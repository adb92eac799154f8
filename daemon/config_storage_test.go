package daemon

import (
	"testing"
	"time"
)

func TestStorageConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"MEEBOTER_LOG_RETENTION": "30d", "MEEBOTER_SCREENSHOT_RETENTION": "36h", "MEEBOTER_RECORDING_URL_TTL": "2h",
		"MEEBOTER_SCREENSHOT_URL_TTL": "90s", "MEEBOTER_LOG_ARCHIVE_LINES": "200", "MEEBOTER_LOG_ARCHIVE_EVERY": "1m",
		"MEEBOTER_LOG_ARCHIVE_QUIET": "5s", "S3_FORCE_PATH_STYLE": "true"}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := StorageConfig{LogRetention: 30 * 24 * time.Hour, ScreenshotRetention: 36 * time.Hour, RecordingURLTTL: 2 * time.Hour,
		ScreenshotURLTTL: 90 * time.Second, ArchiveLines: 200, ArchiveEvery: time.Minute, ArchiveQuiet: 5 * time.Second}
	if c.Storage != want || c.S3["S3_FORCE_PATH_STYLE"] != "true" {
		t.Fatalf("storage %+v, S3 %v", c.Storage, c.S3)
	}
	for k, v := range map[string]string{"MEEBOTER_LOG_RETENTION": "0d", "MEEBOTER_SCREENSHOT_RETENTION": "a month",
		"MEEBOTER_LOG_ARCHIVE_LINES": "50001", "MEEBOTER_RECORDING_URL_TTL": "-1h"} {
		if _, err := ConfigFromEnv(func(key string) string { return map[string]string{k: v}[key] }); err == nil {
			t.Errorf("%s=%s accepted", k, v)
		}
	}
}
