#!/usr/bin/env bash
# Test an integration against a throwaway meeboter daemon with sandbox bots:
# no meeting platform, no cloud account. Run it from CI with the meeboter
# binary on PATH (or MEEBOTER=path/to/meeboter).
#
#   examples/ci/sandbox-smoke.sh
#
# It starts a daemon in a temporary directory on a free port, then checks
# that a normal bot ends DONE (exit 0), that a bot whose sign-in fails ends
# FATAL (exit 6) with its sub code, and that a bot asked to leave ends DONE.
set -euo pipefail
MEEBOTER=${MEEBOTER:-meeboter}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data MEEBOTER_ADDR=http://127.0.0.1:$port

"$MEEBOTER" serve --addr "127.0.0.1:$port" --log-format text 2>"$work/daemon.log" &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
	curl -fsS "$MEEBOTER_ADDR/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done

meet=https://meet.google.com/abc-defg-hij
fast=(--metadata sandbox.step-delay=100ms --metadata sandbox.call-ends-after=1s)

echo "a normal bot ends DONE"
"$MEEBOTER" bot create --meeting-url "$meet" "${fast[@]}" --wait >/dev/null

echo "a bot whose sign-in fails ends FATAL with its sub code"
set +e
"$MEEBOTER" bot create --meeting-url "$meet" "${fast[@]}" --metadata sandbox.scenario=fatal:SIGN_IN_REQUIRED --wait >/dev/null 2>&1
code=$?
set -e
[ "$code" -eq 6 ] || { echo "want exit 6 (bot FATAL), got $code"; exit 1; }
"$MEEBOTER" bot list --status FATAL -o json | grep -q '"endReason": "SIGN_IN_REQUIRED"'

echo "a bot asked to leave ends DONE"
id=$("$MEEBOTER" bot create --meeting-url "$meet" --metadata sandbox.call-ends-after=1h -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 1 100); do
	"$MEEBOTER" bot get "$id" -o json | grep -q '"status": "IN_CALL"' && break
	sleep 0.1
done
"$MEEBOTER" bot leave "$id" >/dev/null
for _ in $(seq 1 100); do
	"$MEEBOTER" bot get "$id" -o json | grep -q '"endReason": "left_by_request"' && { echo "all checks passed"; exit 0; }
	sleep 0.1
done
echo "bot $id did not leave"; exit 1
