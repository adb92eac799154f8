// Package beatcache keeps, in memory, the state of each live bot that its
// heartbeat answer is made of (should it leave, its log level, has it
// ended), keyed by the hash of the bot's token. A heartbeat then costs no
// database read: the bots' most frequent call is answered from memory and
// its write is batched elsewhere.
//
// An entry is filled on a bot's first beat and dropped whenever the bot is
// written: at once for this process's own writes (the store tells the
// cache after each commit), and within Config.Poll for every other
// daemon's, by following the store's change feed (only the numbers and
// bots of its bot changes, never their bodies). A fill that raced a drop
// is not kept: each fill notes the cache's epoch before it reads, and a
// drop of its bot at a later epoch wins. While the feed cannot be read the
// cache holds nothing and every call reads the database, so a database
// outage is answered as one ("cannot tell"), never from a guess.
package beatcache
