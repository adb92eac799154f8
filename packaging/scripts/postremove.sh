#!/bin/sh
# Runs after the package's files are gone. The meeboter user and
# /var/lib/meeboter (the database of local mode) are kept, as for any
# service's data; remove them by hand once they are no longer wanted.
set -e

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
