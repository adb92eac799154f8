package s3blob

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/meeboter/meeboter/blob"
)

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := blob.ValidKey(key); err != nil {
		return err
	}
	if err := blob.ValidSize(size); err != nil {
		return err
	}
	ct, err := blob.ContentType(contentType)
	if err != nil {
		return err
	}
	in := &transfermanager.UploadObjectInput{
		Bucket:      aws.String(s.bucket),
		Key:         aws.String(key),
		Body:        blob.SizedReader(ctx, r, size),
		ContentType: aws.String(ct),
	}
	if size > 0 {
		// Lets the uploader pick a part size that keeps a huge body within
		// S3's 10,000 parts.
		in.ContentLength = aws.Int64(size)
	}
	if _, err := s.uploader.UploadObject(ctx, in); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// Get implements blob.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	if err := blob.ValidKey(key); err != nil {
		return nil, blob.Info{}, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return nil, blob.Info{}, s.wrap("get", key, err)
	}
	return out.Body, info(key, out.ContentLength, out.ContentType, out.LastModified), nil
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	if err := blob.ValidKey(key); err != nil {
		return blob.Info{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return blob.Info{}, s.wrap("stat", key, err)
	}
	return info(key, out.ContentLength, out.ContentType, out.LastModified), nil
}

// Delete implements blob.Store. S3 answers a delete of a missing key with
// success already; a server that says NoSuchKey is treated the same way.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidKey(key); err != nil {
		return err
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil && !notFound(err) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// wrap names the operation and key in err, and makes a missing object
// blob.ErrNotFound.
func (s *Store) wrap(op, key string, err error) error {
	if notFound(err) {
		return fmt.Errorf("%w: %s", blob.ErrNotFound, key)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

func info(key string, size *int64, contentType *string, mod *time.Time) blob.Info {
	return blob.Info{Key: key, Size: aws.ToInt64(size), ContentType: aws.ToString(contentType), ModTime: aws.ToTime(mod)}
}
