package trpc

import (
	"bytes"
	"encoding/json"
)

// The bots send their heartbeat, and every other call that only names the
// bot, as {"0":{"json":{"id":"123"}}}: a one-call batch of a superjson
// envelope without meta. Decoding it the general way scanned it four
// times (validity, the batch's map, the envelope, the input struct), a
// tenth of the daemon's CPU under a heartbeat load. These read exactly
// that form, and only it; anything else, even the same value spaced or
// ordered otherwise, takes the general path, so the answers cannot differ.

// singleInput is the input of a one-call batch in the bots' form, nil
// when raw is not in it.
func singleInput(raw []byte) json.RawMessage {
	const head, tail = `{"0":`, `}`
	if !bytes.HasPrefix(raw, []byte(head)) || !bytes.HasSuffix(raw, []byte(tail)) {
		return nil
	}
	in := raw[len(head) : len(raw)-len(tail)]
	if _, ok := plainBotID(in); !ok {
		return nil
	}
	return json.RawMessage(in)
}

// plainBotID reads the id of an input that only names the bot, in the
// bots' form: {"json":{"id":"123"}}, or with the id a number.
func plainBotID(raw []byte) (wireID, bool) {
	const head, tail = `{"json":{"id":`, `}}`
	if !bytes.HasPrefix(raw, []byte(head)) || !bytes.HasSuffix(raw, []byte(tail)) || len(raw) < len(head)+len(tail) {
		return 0, false
	}
	v := raw[len(head) : len(raw)-len(tail)]
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	} else if len(v) > 0 && v[0] == '0' {
		return 0, false // a JSON number has no leading zero
	}
	n, ok := parseID(string(v))
	return wireID(n), ok
}
