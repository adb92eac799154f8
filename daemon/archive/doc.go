// Package archive keeps a bot's logs, screenshots and recordings where
// they belong over its life: the two tiers of its log, the blobs of its
// screenshots and recording, and retention.
//
// # Two tiers of log
//
// A bot's log lines land in the database as they arrive (the hot tier:
// cheap batched inserts, live streams, the change feed). The leader's
// archiver moves them to the blob store as gzipped JSON Lines chunks (see
// logarchive) when the bot ends, and while it runs once it has
// Config.ChunkLines lines or a line older than Config.Every. A chunk is
// written first and its rows are deleted only after the write succeeded,
// and then exactly the rows in the chunk, by id. Killed at any point, the
// daemon leaves either the rows alone (nothing was written, or a chunk
// nobody lists yet is overwritten by the same rows later) or the rows and
// a chunk holding them; the next pass archives those rows again, possibly
// into a chunk cut differently, and readers merge chunks by row id, so no
// line is lost and none shows twice.
//
// Logs pages the two tiers as one listing with the row id as the cursor.
// It reads the database before the archive: a row the archiver moves in
// between is in the archive by the time the archive is read, so nothing
// slips between the two reads.
//
// Lines of a running bot younger than Config.Quiet stay in the database:
// bots resend a batch whose answer they missed, and the database's unique
// entry id drops such a resend only while the first copy is still there.
//
// # Blobs and retention
//
// Screenshots and recordings live in the same store under bots/{id}/, so
// deleting a bot deletes one prefix. The leader's retention removes the
// archive and log rows of bots that ended more than Config.LogRetention
// ago, and their screenshots (blobs, then rows) after
// Config.ScreenshotRetention; each bot once, recorded in the database.
package archive
