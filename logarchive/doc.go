// Package logarchive is the format of archived bot logs: chunks of a
// bot's log lines, stored in a blob.Store as gzipped JSON Lines, one
// object per chunk, under
//
//	bots/{botID}/logs/{firstID:020d}-{lastID:020d}.jsonl.gz
//
// where the ids are the database row ids of the chunk's first and last
// line. Row ids only grow, so chunk keys sort in log order and two chunks
// of different rows never share a key; and the same rows always make the
// same key and the same bytes, so uploading a chunk again is harmless.
// That is what makes archiving safe across a crash: the archiver uploads a
// chunk, then deletes its rows from the database; killed in between, it
// uploads the same chunk again on restart, overwriting it with itself.
//
// Readers page through a bot's archive by row id (Page, or a Reader that
// keeps recently read chunks decoded), the same cursor the database's live
// rows use, so the daemon can serve the archive
// followed by the live rows as one listing. Unlike the original server,
// which paged by S3 continuation token and dropped the lines beyond each
// page's limit, a page ends exactly after its last line and the next page
// starts right after it.
//
// Each line is one JSON object (see Entry). A chunk is at most
// MaxChunkEntries lines and MaxChunkBytes bytes before compression, and a
// line at most MaxLineBytes; the writer refuses to produce what the
// reader would refuse to read. The reader also accepts a chunk that is
// not gzipped, because some HTTP clients and proxies decompress a gzip
// object on the way.
package logarchive
