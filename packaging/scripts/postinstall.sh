#!/bin/sh
# Runs after the package's files are in place, on install and upgrade, for
# deb (configure <old-version>) and rpm (1 on install, 2 on upgrade).
set -e

# The service's own system user; its home is the state directory, which
# systemd creates (StateDirectory=meeboter).
if ! getent passwd meeboter >/dev/null; then
	nologin=/usr/sbin/nologin
	[ -x "$nologin" ] || nologin=/sbin/nologin
	useradd --system --user-group --home-dir /var/lib/meeboter --no-create-home \
		--shell "$nologin" --comment "meeboter daemon" meeboter
fi

# The settings file holds the database password and the webhook secret.
# systemd reads it as root, so the service user needs no access to it.
if [ -f /etc/meeboter/env ]; then
	chown root:root /etc/meeboter/env
	chmod 0640 /etc/meeboter/env
fi

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	# Restart a running daemon on upgrade; a new install is started by
	# the operator once /etc/meeboter/env is filled in.
	if systemctl is-active --quiet meeboter.service; then
		systemctl try-restart meeboter.service || true
	else
		echo "meeboter: set DATABASE_URL and MEEBOTER_WEBHOOK_SECRET in /etc/meeboter/env, then: systemctl enable --now meeboter"
	fi
fi
