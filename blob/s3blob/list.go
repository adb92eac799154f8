package s3blob

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/meeboter/meeboter/blob"
)

// deleteBatch is the most keys one DeleteObjects request may name.
const deleteBatch = 1000

// List implements blob.Store. It follows continuation tokens itself
// rather than through the SDK's paginator, which ends quietly when a
// server marks a page truncated but sends no token; here that is an
// error, so a listing is never silently short.
func (s *Store) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if err := blob.ValidPrefix(prefix); err != nil {
		return nil, err
	}
	infos := []blob.Info{}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(prefix)}
	seen := map[string]bool{}
	for {
		out, err := s.client.ListObjectsV2(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list %q: %w", prefix, err)
		}
		for _, o := range out.Contents {
			infos = append(infos, blob.Info{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)})
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		token := aws.ToString(out.NextContinuationToken)
		if token == "" || seen[token] {
			return nil, fmt.Errorf("list %q: the server marked page %d truncated without a new continuation token", prefix, len(seen)+1)
		}
		seen[token] = true
		in.ContinuationToken = aws.String(token)
	}
	slices.SortFunc(infos, func(a, b blob.Info) int { return strings.Compare(a.Key, b.Key) })
	return infos, nil
}

// DeletePrefix implements blob.Store: a complete listing, then batched
// DeleteObjects requests. Keys that S3 reports it could not delete make
// the call fail, naming the first few.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" {
		return fmt.Errorf("%w: prefix must not be empty", blob.ErrInvalid)
	}
	infos, err := s.List(ctx, prefix)
	if err != nil {
		return err
	}
	for batch := range slices.Chunk(infos, deleteBatch) {
		if err := s.deleteObjects(ctx, batch); err != nil {
			return fmt.Errorf("delete prefix %q: %w", prefix, err)
		}
	}
	return nil
}

// deleteObjects deletes up to deleteBatch objects in one request.
func (s *Store) deleteObjects(ctx context.Context, batch []blob.Info) error {
	ids := make([]types.ObjectIdentifier, len(batch))
	for i, info := range batch {
		ids[i] = types.ObjectIdentifier{Key: aws.String(info.Key)}
	}
	out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String(s.bucket),
		Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
	})
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range out.Errors {
		if aws.ToString(e.Code) == "NoSuchKey" {
			continue // deleted meanwhile: the goal is reached
		}
		if len(errs) == 3 {
			errs = append(errs, fmt.Errorf("and %d more", len(out.Errors)-3))
			break
		}
		errs = append(errs, fmt.Errorf("%s: %s %s", aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message)))
	}
	return errors.Join(errs...)
}
