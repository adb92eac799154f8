#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy, for the Kubernetes
# adapter tests (platforms/kubernetes), which run them as a throwaway control
# plane. The build happens in a temporary wrapper module because
# k8s.io/kubernetes cannot be installed with `go install` (its go.mod has
# replace directives) and its hundreds of dependencies must stay out of this
# repository's go.mod.
#
# Usage: scripts/kube-binaries.sh            # build if missing, print the dir
#        KUBE_VERSION=v1.37.2 OUT=dir scripts/kube-binaries.sh
#
# The output directory defaults to
# ${XDG_CACHE_HOME:-$HOME/.cache}/meeboter/kube/<version>; the tests look
# there, or in $MEEBOTER_KUBE_BIN. A build takes about five minutes on two
# cores and is skipped when both binaries are already present.
set -euo pipefail

KV=${KUBE_VERSION:-v1.37.2}  # k8s.io/kubernetes version
SV=v0.${KV#v1.}              # matching staging modules, e.g. v0.37.2
OUT=${OUT:-${XDG_CACHE_HOME:-$HOME/.cache}/meeboter/kube/$KV}
OUT=$(realpath -m "$OUT")

if [[ -x "$OUT/kube-apiserver" && -x "$OUT/etcd" ]]; then
	echo "$OUT"
	exit 0
fi

mkdir -p "$OUT"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export GOFLAGS=-mod=mod GOWORK=off
go mod init kubebins >/dev/null 2>&1
go mod edit -require=k8s.io/kubernetes@"$KV"
GOMOD=$(go mod download -json k8s.io/kubernetes@"$KV" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
for m in $(awk '/=> \.\/staging/ {print $1}' "$GOMOD"); do
	go mod edit -replace="$m=$m@$SV"
done
printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "go.etcd.io/etcd/server/v3"\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n)\n' >tools.go
go mod tidy
MINOR=$(echo "$KV" | cut -d. -f2)
LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=$KV -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR"
# Build into the temp dir and move into place last, so an interrupted build
# never leaves a half-written binary that a later run would take as done.
go build -ldflags "$LDFLAGS" -o "$W/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
go build -ldflags "-s -w" -o "$W/etcd" go.etcd.io/etcd/server/v3
mv "$W/etcd" "$OUT/etcd"
mv "$W/kube-apiserver" "$OUT/kube-apiserver"
"$OUT/kube-apiserver" --version >&2
"$OUT/etcd" --version | head -1 >&2
echo "$OUT"
