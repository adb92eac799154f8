package s3blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/s3blob"
	"github.com/meeboter/meeboter/blob/s3blob/s3test"
)

// TestPut_Multipart sends a body over the multipart threshold and checks
// with a raw client that S3 assembled it from parts.
func TestPut_Multipart(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	cfg := srv.Config(bucket)
	cfg.PartSize = s3blob.MinPartSize
	s := newStore(t, cfg)
	body := make([]byte, 2*s3blob.MinPartSize+12345)
	_, _ = rand.Read(body)
	for _, size := range []int64{int64(len(body)), -1} {
		if err := s.Put(t.Context(), "big.bin", bytes.NewReader(body), size, "video/webm"); err != nil {
			t.Fatalf("Put of %d bytes (declared %d): %v", len(body), size, err)
		}
		head, err := srv.Client().HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("big.bin")})
		if err != nil {
			t.Fatal(err)
		}
		// A multipart object's ETag is the hash of its parts' hashes,
		// followed by -<number of parts>.
		if etag := aws.ToString(head.ETag); !strings.HasSuffix(strings.Trim(etag, `"`), "-3") {
			t.Errorf("declared %d: ETag %s, want one of a 3-part upload", size, etag)
		}
		got, info := blobtest.Get(t, s, "big.bin")
		if !bytes.Equal(got, body) || info.ContentType != "video/webm" {
			t.Errorf("declared %d: read back %d bytes of %s", size, len(got), info.ContentType)
		}
	}
}

// TestPut_MultipartAborted checks that a body shorter than declared fails
// the upload and leaves no parts behind.
func TestPut_MultipartAborted(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	bucket := srv.Bucket(t)
	cfg := srv.Config(bucket)
	cfg.PartSize = s3blob.MinPartSize
	s := newStore(t, cfg)
	body := make([]byte, 3*s3blob.MinPartSize)
	err := s.Put(t.Context(), "short.bin", bytes.NewReader(body), int64(len(body))+1, "")
	if !errors.Is(err, blob.ErrInvalid) {
		t.Fatalf("Put of a short body = %v, want ErrInvalid", err)
	}
	if _, err := s.Stat(t.Context(), "short.bin"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("the failed upload left an object: %v", err)
	}
	ups, err := srv.Client().ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Errorf("%d multipart uploads left open", len(ups.Uploads))
	}
}

func TestPing(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	cfg := srv.Config("no-such-bucket-" + strings.ToLower(rand.Text()[:8]))
	s, err := s3blob.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Ping of a missing bucket = %v", err)
	}
	cfg = srv.Config(srv.Bucket(t))
	cfg.SecretKey = "wrong"
	s, err = s3blob.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Errorf("Ping with a wrong secret = %v", err)
	}
	if err := s.Put(t.Context(), "k", strings.NewReader("x"), 1, ""); err == nil {
		t.Error("Put with a wrong secret succeeded")
	}
}

// TestList_TruncatedWithoutToken puts a proxy in front of the server that
// drops the continuation token from listings, as a buggy server might: the
// listing must fail rather than end early.
func TestList_TruncatedWithoutToken(t *testing.T) {
	t.Parallel()
	srv := s3test.Shared(t)
	target, _ := url.Parse("http://" + srv.Addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	token := regexp.MustCompile(`<NextContinuationToken>[^<]*</NextContinuationToken>`)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Query().Get("list-type") != "2" {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		body = token.ReplaceAll(body, nil)
		resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		resp.Header.Del("Content-Length")
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	bucket := srv.Bucket(t)
	s := newStore(t, srv.Config(bucket))
	blobtest.PutMany(t, s, "k/", blobtest.ManyKeys)
	cfg := srv.Config(bucket)
	cfg.Endpoint = front.URL
	broken := newStore(t, cfg)
	if infos, err := broken.List(t.Context(), "k/"); err == nil || !strings.Contains(err.Error(), "truncated without a new continuation token") {
		t.Errorf("List through the proxy = %d keys, %v; want an error", len(infos), err)
	}
	if err := broken.DeletePrefix(t.Context(), "k/"); err == nil {
		t.Error("DeletePrefix through the proxy succeeded on a partial listing")
	}
	if infos, err := s.List(context.Background(), "k/"); err != nil || len(infos) != blobtest.ManyKeys {
		t.Errorf("direct List = %d keys, %v; want all %d kept", len(infos), err, blobtest.ManyKeys)
	}
}
