package daemon_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// With S3_* set, a sandbox bot that ended has its log in the bucket as
// gzipped JSON Lines and none in the database, the API still lists every
// line once and in order, its screenshots download through presigned
// URLs, and its recording, uploaded by the bot, through the recording URL.
func TestStorage_S3(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		bucket := srv.Bucket(t)
		d := startDaemon(t, open, daemon.Config{S3: srv.Env(bucket)})
		b := createBot(t, d.Admin, api.CreateBotRequest{RecordingEnabled: true, Metadata: map[string]string{"sandbox.call-ends-after": "300ms"}})
		botReaches(t, d.Admin, b.ID, api.StatusDone)
		eventually(t, "the log rows to leave the database", func() bool {
			rows, err := d.Store.LogsToArchive(context.Background(), b.ID, 1000)
			return err == nil && len(rows) == 0
		})
		archived := bucketLines(t, srv.Client(), bucket, b.ID)
		listed := apiLines(t, d.Admin, b.ID)
		if !slices.Equal(listed, archived) || len(listed) < 5 {
			t.Fatalf("the API lists %d lines, the bucket holds %d", len(listed), len(archived))
		}
		shots, err := d.Admin.Bots().Screenshots(t.Context(), b.ID, "", 0)
		if err != nil || len(shots.Items) == 0 {
			t.Fatalf("screenshots %v, %v", shots, err)
		}
		for _, s := range shots.Items {
			if !strings.HasPrefix(s.URL, "http://"+srv.Addr+"/"+bucket+"/") || !strings.Contains(s.URL, "X-Amz-Signature=") || s.URLExpiresAt == nil {
				t.Fatalf("screenshot URL %q is not presigned for the bucket", s.URL)
			}
			wantPNG(t, fetch(t, s.URL, http.StatusOK))
		}
		rec, err := d.Admin.Bots().Recording(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(rec.Key, "bots/") || !strings.HasSuffix(rec.Key, ".wav") {
			t.Fatalf("recording key %q", rec.Key)
		}
		if body := fetch(t, rec.URL, http.StatusOK); !strings.HasPrefix(string(body), "RIFF") {
			t.Fatalf("the recording is not a WAV file: %q", body[:min(12, len(body))])
		}
		none := createBot(t, d.Admin, api.CreateBotRequest{Metadata: map[string]string{"sandbox.call-ends-after": "100ms"}})
		botReaches(t, d.Admin, none.ID, api.StatusDone)
		_, err = d.Admin.Bots().Recording(t.Context(), none.ID)
		wantError(t, err, http.StatusNotFound, api.CodeNotFound)

		if err := d.Admin.Bots().Delete(t.Context(), b.ID); err != nil {
			t.Fatal(err)
		}
		if keys := bucketKeys(t, srv.Client(), bucket, "bots/"+itoa(b.ID)+"/"); len(keys) != 0 {
			t.Fatalf("a deleted bot left %v in the bucket", keys)
		}
	})
}

// In local mode screenshots are files in the data directory, and their
// URLs are the daemon's own, signed and expiring: they download without
// an API key, and a tampered one is refused.
func TestStorage_LocalSignedURLs(t *testing.T) {
	t.Parallel()
	d := daemontest.Start(t, daemontest.Options{})
	b := createBot(t, d.Admin, api.CreateBotRequest{RecordingEnabled: true, Metadata: map[string]string{"sandbox.call-ends-after": "100ms"}})
	botReaches(t, d.Admin, b.ID, api.StatusDone)
	shots, err := d.Admin.Bots().Screenshots(t.Context(), b.ID, "", 0)
	if err != nil || len(shots.Items) == 0 {
		t.Fatalf("screenshots %v, %v", shots, err)
	}
	u := shots.Items[0].URL
	if !strings.HasPrefix(u, d.URL+"/v1/blobs/bots/") {
		t.Fatalf("screenshot URL %q is not the daemon's", u)
	}
	wantPNG(t, fetch(t, u, http.StatusOK))
	fetch(t, strings.Replace(u, "sig=", "sig=0", 1), http.StatusForbidden)
	// No bucket: the sandbox uploads no recording and reports none.
	_, err = d.Admin.Bots().Recording(t.Context(), b.ID)
	wantError(t, err, http.StatusNotFound, api.CodeNotFound)
	if err := d.Admin.Bots().Delete(t.Context(), b.ID); err != nil {
		t.Fatal(err)
	}
	fetch(t, u, http.StatusNotFound)
}

// bucketLines reads a bot's archived lines from the bucket with the SDK
// alone, and returns their ids, each once, in order.
func bucketLines(t *testing.T, c *s3.Client, bucket string, botID int64) []int64 {
	t.Helper()
	var ids []int64
	for _, key := range bucketKeys(t, c, bucket, logarchive.Prefix(botID)) {
		ref, ok := logarchive.ParseKey(botID, key)
		if !ok || !strings.HasSuffix(key, ".jsonl.gz") {
			t.Fatalf("%s is not a chunk key", key)
		}
		out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		entries, err := logarchive.Decode(out.Body, ref)
		out.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func bucketKeys(t *testing.T, c *s3.Client, bucket, prefix string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

// apiLines pages a bot's log through the API in small pages and returns
// the ids, checking that none repeats and that they ascend.
func apiLines(t *testing.T, c *api.Client, botID int64) []int64 {
	t.Helper()
	var ids []int64
	cursor := ""
	for {
		page, err := c.Bots().Logs(t.Context(), botID, cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Items {
			if len(ids) > 0 && l.ID <= ids[len(ids)-1] {
				t.Fatalf("line %d after %d", l.ID, ids[len(ids)-1])
			}
			ids = append(ids, l.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		cursor = page.NextCursor
	}
}

// fetch GETs a URL with no credentials and checks the status.
func fetch(t *testing.T, u string, status int) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d: %s", u, resp.StatusCode, status, body)
	}
	return body
}

func wantPNG(t *testing.T, body []byte) {
	t.Helper()
	if !strings.HasPrefix(string(body), "\x89PNG") {
		t.Fatalf("not a PNG: %q", body[:min(8, len(body))])
	}
}

// Ten thousand lines of a running bot, archived while they are read,
// page through GET /v1/bots/{id}/logs in pages of 37: each once, in
// order, nothing skipped.
func TestStorage_LogPagesAcrossTiers(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		d := startDaemon(t, open, daemon.Config{Storage: daemon.StorageConfig{ArchiveLines: 700, ArchiveQuiet: time.Millisecond}})
		b := callBot(t, d.Admin)
		old := time.Now().Add(-time.Hour) // settled: the archiver may take them at once
		for start := 0; start < 10_000; start += 500 {
			batch := make([]store.LogEntry, 500)
			for i := range batch {
				batch[i] = store.LogEntry{BotID: b.ID, EntryID: fmt.Sprintf("t%05d", start+i), Time: old, Level: "INFO", Message: "x"}
			}
			if err := d.Store.InsertLogs(t.Context(), batch); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "a first chunk", func() bool {
			refs, err := logarchive.ListChunks(t.Context(), d.Server.Blobs(), b.ID)
			return err == nil && len(refs) > 0
		})
		seen := 0
		cursor := ""
		for {
			page, err := d.Admin.Bots().Logs(t.Context(), b.ID, cursor, 37)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) > 37 {
				t.Fatalf("a page of %d", len(page.Items))
			}
			for _, l := range page.Items {
				if !strings.HasPrefix(l.EntryID, "t") {
					continue // the sandbox bot's own lines
				}
				if want := fmt.Sprintf("t%05d", seen); l.EntryID != want {
					t.Fatalf("line %d is %s, want %s", seen, l.EntryID, want)
				}
				seen++
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if seen != 10_000 {
			t.Fatalf("paged %d of the 10000 lines", seen)
		}
	})
}
