// Package dirblob is the blob.Store of local mode: objects are files under
// one directory, and signed URLs point at the daemon itself, which serves
// them through Handler.
//
// # Files
//
// The object under key a/b/c is the file <Dir>/a/b/c, so an operator can
// find it, back it up or delete it with ordinary tools. Each file starts
// with a short header holding the object's content type, so the type is
// stored in the same atomic write as the bytes. Files without the header
// (written directly, before the store existed) are read whole, with a
// content type guessed from the key's extension.
//
// Writes go to a temporary file under <Dir>/.tmp, are synced, and are then
// renamed into place, and the directory is synced too: a crash leaves
// either the old object or the new one, never a torn file. Files are 0600
// and directories 0700, because logs and screenshots can hold whatever was
// said or shown in a meeting. All access goes through an os.Root, so no
// key and no symbolic link planted under Dir can reach a file outside it.
//
// # Signed URLs
//
// SignedURL returns <BaseURL>/v1/blobs/<key>?expires=<unix>&sig=<mac>,
// plus &filename=<name> when a download name is asked for. The mac is an
// HMAC-SHA-256 over the key, the expiry and the file name, under a key
// derived from Config.SigningKey; Handler, mounted by the daemon at
// /v1/blobs/, checks it in constant time and the expiry against the
// clock, then serves the file with its content type, length and range
// support. A bad or missing signature and an expired URL both answer 403;
// a good signature for a missing object answers 404.
package dirblob
