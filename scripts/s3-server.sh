#!/usr/bin/env bash
# Builds versitygw, an S3-compatible server that keeps buckets and objects
# as plain directories and files, for the S3 blob store tests (blob/s3blob),
# which start it on a loopback port as a throwaway S3 server. It is
# installed from the Go module proxy into a cache directory outside the
# repository, so its dependencies stay out of this module's go.mod.
#
# Usage: scripts/s3-server.sh            # build if missing, print the binary path
#        VERSITYGW_VERSION=v1.8.0 OUT=dir scripts/s3-server.sh
#
# The output directory defaults to
# ${XDG_CACHE_HOME:-$HOME/.cache}/meeboter/versitygw/<version>; point the
# tests at the printed path with MEEBOTER_S3_SERVER_BIN. A build takes one
# to three minutes on two cores and is skipped when the binary is already
# present.
set -euo pipefail

V=${VERSITYGW_VERSION:-v1.8.0}
OUT=${OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/meeboter/versitygw/$V}
OUT=$(realpath -m "$OUT")
BIN="$OUT/versitygw"

if [[ -x "$BIN" ]]; then
	echo "$BIN"
	exit 0
fi

mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# Install into the temp dir and move into place last, so an interrupted
# build never leaves a half-written binary that a later run would take as
# done.
GOWORK=off GOFLAGS=-buildvcs=false GOBIN="$W" \
	go install -ldflags "-s -w" github.com/versity/versitygw/cmd/versitygw@"$V"
mv "$W/versitygw" "$BIN"
"$BIN" --version >&2 || true
echo "$BIN"
