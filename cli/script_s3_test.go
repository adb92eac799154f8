package cli_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/logarchive"
	"github.com/meeboter/meeboter/store"
)

// scriptS3 is the S3 server the [s3] scripts share, started by
// startScriptS3 when versitygw is available.
var scriptS3 *s3test.Server

// startScriptS3 starts the scripts' S3 server if it can; without
// versitygw the [s3] scripts skip (or, with MEEBOTER_REQUIRE_S3=1, the
// test fails).
func startScriptS3(t *testing.T) {
	if _, err := s3test.BinPath(); err != nil {
		if s3test.Required() {
			t.Fatal(err)
		}
		return
	}
	scriptS3 = s3test.Shared(t)
	t.Cleanup(s3test.StopShared) // after every script has run
}

// setupS3 gives a script a bucket of its own on the shared server, as
// $TEST_S3_ENDPOINT, $TEST_S3_ACCESS_KEY, $TEST_S3_SECRET_KEY and
// $TEST_S3_BUCKET: a script sets S3_* from them for the daemon it starts.
func setupS3(env *testscript.Env) error {
	if scriptS3 == nil {
		return nil
	}
	bucket := "script-" + strings.ToLower(rand.Text()[:12])
	if _, err := scriptS3.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return err
	}
	env.Setenv("TEST_S3_ENDPOINT", "http://"+scriptS3.Addr)
	env.Setenv("TEST_S3_ACCESS_KEY", scriptS3.AccessKey)
	env.Setenv("TEST_S3_SECRET_KEY", scriptS3.SecretKey)
	env.Setenv("TEST_S3_BUCKET", bucket)
	return nil
}

// cmdS3Chunks checks a bot's archived log in the script's bucket, read
// with the SDK alone: `s3chunks BOT_ID`. Every object under the bot's
// log prefix must be a gzipped JSON Lines chunk; it prints how many
// chunks and lines there are, and fails when there are none.
func cmdS3Chunks(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || scriptS3 == nil {
		ts.Fatalf("usage: s3chunks BOT_ID (in an [s3] script)")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	ts.Check(err)
	c, bucket := scriptS3.Client(), ts.Getenv("TEST_S3_BUCKET")
	out, err := c.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(logarchive.Prefix(id))})
	ts.Check(err)
	lines := 0
	for _, o := range out.Contents {
		ref, ok := logarchive.ParseKey(id, aws.ToString(o.Key))
		if !ok {
			ts.Fatalf("%s is not a chunk", aws.ToString(o.Key))
		}
		obj, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		ts.Check(err)
		if ct := aws.ToString(obj.ContentType); ct != logarchive.ContentType {
			ts.Fatalf("%s has content type %q", ref.Key, ct)
		}
		entries, err := logarchive.Decode(obj.Body, ref)
		obj.Body.Close()
		ts.Check(err)
		lines += len(entries)
	}
	if len(out.Contents) == 0 {
		ts.Fatalf("bot %d has no archived chunk in %s", id, bucket)
	}
	fmt.Fprintf(ts.Stdout(), "%d chunks, %d lines\n", len(out.Contents), lines)
}

// cmdLogRows counts a bot's log rows in a local-mode daemon's database:
// `logrows DATA_DIR BOT_ID WANT`.
func cmdLogRows(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: logrows DATA_DIR BOT_ID WANT")
	}
	id, err := strconv.ParseInt(args[1], 10, 64)
	ts.Check(err)
	want, err := strconv.Atoi(args[2])
	ts.Check(err)
	st, err := store.Open(context.Background(), store.Config{SQLitePath: ts.MkAbs(args[0]) + "/meeboter.db"})
	ts.Check(err)
	defer st.Close()
	rows, err := st.LogsToArchive(context.Background(), id, 50_000)
	ts.Check(err)
	if len(rows) != want {
		ts.Check(errors.New("bot " + args[1] + " has " + strconv.Itoa(len(rows)) + " log rows in the database, want " + args[2]))
	}
}
