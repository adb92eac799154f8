#!/bin/sh
# Runs before the package's files are removed: stop the daemon on removal,
# but not on upgrade (deb: "upgrade"; rpm: 1 when another version stays).
set -e

case "$1" in
remove | 0)
	if [ -d /run/systemd/system ]; then
		systemctl disable --now meeboter.service >/dev/null 2>&1 || true
	fi
	;;
esac
