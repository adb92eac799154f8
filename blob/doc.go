// Package blob is the seam between meeboter and wherever its large objects
// live: archived log chunks, screenshots and recordings. The daemon keeps
// rows in its database and bytes in a Store, so the database stays small
// and bytes can move to object storage in production.
//
// Two implementations exist: blob/dirblob keeps files under a directory
// (local mode, the default) and signs download URLs that the daemon itself
// serves; blob/s3blob talks to an S3-compatible bucket and hands out
// presigned URLs. Both pass the conformance suite in blob/blobtest, so code
// above the seam never needs to know which one it has.
//
// # Keys
//
// A key is a slash-separated path such as bots/7/logs/x.jsonl.gz. Keys are
// validated the same way by every Store (see ValidKey), so a key accepted
// in local mode is accepted in production and cannot escape a directory:
// segments are non-empty, may not start with a dot (which rules out "."
// and ".." and keeps the directory store's own temporary files out of the
// key space), carry no control characters or backslashes, and are at most
// MaxSegment bytes; the whole key is at most MaxKey bytes.
//
// A directory store cannot hold both a/b and a/b/c, because a/b would
// have to be a file and a directory at once; meeboter's key layouts never
// need that, and such a Put fails instead of losing data.
package blob
