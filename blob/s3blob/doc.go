// Package s3blob is the blob.Store of production: objects live in one
// bucket of Amazon S3 or any S3-compatible server (MinIO, versitygw,
// Ceph), reached with aws-sdk-go-v2, and signed URLs are SigV4 presigned
// GET URLs that the bucket serves itself.
//
// # Configuration
//
// ConfigFromEnv reads the variables of the original server, which the bot
// images read too:
//
//	S3_ENDPOINT          URL of an S3-compatible server; empty means AWS S3
//	S3_ACCESS_KEY        access key id (required)
//	S3_SECRET_KEY        secret access key (required; never logged)
//	S3_BUCKET_NAME       the one bucket (required)
//	S3_REGION            SigV4 region, default us-east-1
//	S3_FORCE_PATH_STYLE  true or false; see below
//
// Addressing: with S3_ENDPOINT set, requests are path-style
// (https://host/bucket/key), because that is what self-hosted servers
// answer without wildcard DNS and what the original server always used;
// without it, requests go to AWS virtual-host style
// (https://bucket.s3.region.amazonaws.com/key), which AWS recommends.
// S3_FORCE_PATH_STYLE overrides either default.
//
// TLS certificates are always verified. The SDK sends a checksum only
// where an operation requires one: several S3-compatible servers reject
// the CRC32 trailers it adds by default, and TLS already protects the
// bytes in transit.
//
// # Uploads
//
// Put goes through the SDK's transfer manager: a body below twice
// Config.PartSize (16 MiB by default) is sent with one PutObject, a larger
// one as a multipart upload in parts of PartSize, and a failed multipart
// upload is aborted so no parts linger in the bucket.
package s3blob
