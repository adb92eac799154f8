package s3blob

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/meeboter/meeboter/blob"
)

// defaultPartSize is the multipart part size when Config leaves it unset.
const defaultPartSize = 8 << 20

// Store keeps objects in one S3 bucket. It is safe for concurrent use.
type Store struct {
	client   *s3.Client
	presign  *s3.PresignClient
	uploader *transfermanager.Client
	bucket   string
}

var _ blob.Store = (*Store)(nil)

// New returns a Store for cfg. It makes no request; Ping checks that the
// bucket is reachable.
func New(cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("s3blob: %w", err)
	}
	client := s3.New(clientOptions(cfg))
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	part := cmp.Or(cfg.PartSize, defaultPartSize)
	return &Store{
		client: client,
		presign: s3.NewPresignClient(client, func(o *s3.PresignOptions) {
			o.Presigner = clockPresigner{signer: v4.NewSigner(), now: now}
		}),
		uploader: transfermanager.New(client, func(o *transfermanager.Options) {
			o.PartSizeBytes = part
			o.MultipartUploadThreshold = 2 * part
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			// Abort a failed multipart upload even when the failure is the
			// caller's cancelled context, so no parts are left billed.
			o.FailTimeout = 30 * time.Second
		}),
		bucket: cfg.Bucket,
	}, nil
}

// clientOptions builds the SDK options from cfg. Nothing is read from the
// process environment or ~/.aws: the Config is the whole configuration.
func clientOptions(cfg Config) s3.Options {
	o := s3.Options{
		Region:                     cmp.Or(cfg.Region, DefaultRegion),
		Credentials:                aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(cfg.AccessKey, string(cfg.SecretKey), "")),
		UsePathStyle:               cfg.PathStyle,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.Endpoint != "" {
		o.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	if cfg.HTTPClient != nil {
		o.HTTPClient = cfg.HTTPClient
	}
	return o
}

// Ping checks that the bucket exists and the credentials may use it, so a
// daemon with a wrong S3_* setting fails at start instead of at its first
// upload.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err == nil {
		return nil
	}
	switch statusOf(err) {
	case http.StatusNotFound:
		return fmt.Errorf("s3blob: bucket %q does not exist: %w", s.bucket, err)
	case http.StatusForbidden:
		return fmt.Errorf("s3blob: access to bucket %q denied (check S3_ACCESS_KEY and S3_SECRET_KEY): %w", s.bucket, err)
	}
	return fmt.Errorf("s3blob: bucket %q: %w", s.bucket, err)
}

// notFound reports whether err means the object does not exist. GetObject
// says NoSuchKey; HeadObject has no body to say anything and answers a
// bare 404, which the SDK reports as NotFound.
func notFound(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return true
		}
	}
	return false
}

// statusOf returns the HTTP status of a failed request, or 0.
func statusOf(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
