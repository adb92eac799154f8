package s3blob

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/blob"
)

// SignedURL implements blob.Store with a SigV4 presigned GetObject URL.
// The download name rides in response-content-disposition, which the
// signature covers, so it cannot be changed either.
func (s *Store) SignedURL(ctx context.Context, key string, ttl time.Duration, opts blob.SignOptions) (string, error) {
	if err := blob.ValidKey(key); err != nil {
		return "", err
	}
	if err := blob.ValidTTL(ttl); err != nil {
		return "", err
	}
	if err := blob.ValidFilename(opts.Filename); err != nil {
		return "", err
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	if opts.Filename != "" {
		in.ResponseContentDisposition = aws.String(blob.ContentDisposition(opts.Filename))
	}
	req, err := s.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("sign %s: %w", key, err)
	}
	return req.URL, nil
}

// clockPresigner is the SDK's SigV4 presigner with the signing time taken
// from a configured clock, so tests can make URLs that are already
// expired without waiting for them to expire.
type clockPresigner struct {
	signer *v4.Signer
	now    func() time.Time
}

var _ s3.HTTPPresignerV4 = clockPresigner{}

// PresignHTTP implements s3.HTTPPresignerV4.
func (p clockPresigner) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return p.signer.PresignHTTP(ctx, creds, r, payloadHash, service, region, p.now(), optFns...)
}
