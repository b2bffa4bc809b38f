#!/usr/bin/env bash
# Install OpenLink Virtuoso (Debian package virtuoso-opensource) for neurokg's contract tests.
#
# Consumes: root (or sudo), Debian apt. Produces: /usr/bin/virtuoso-t and /usr/bin/isql-vt.
# Policy: non-interactive; the system service is never started or used. The tests run their own
# virtuoso-t with a virtuoso.ini written into a temporary folder, on loopback ports, with a
# random DBA password, and stop it afterwards (tests/servers.py). The package's postinst wants a
# DBA password for the system database: we preseed a random one that is never printed, and deny
# service starts during the install (policy-rc.d exit 101) so no system daemon runs.
#
# Usage: scripts/virtuoso.sh install   # idempotent; about 30-60 s on a fresh Debian 12
#        scripts/virtuoso.sh check     # exit 0 when virtuoso-t is installed
set -euo pipefail

cmd="${1:-install}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

case "$cmd" in
  check)
    command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
    ;;
  install)
    if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
      echo "virtuoso.sh: virtuoso-t already installed" >&2
      exit 0
    fi
    password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
    $SUDO apt-get update -q >&2
    $SUDO apt-get install -y -q debconf-utils >&2
    printf '%s\n' \
      "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password ${password}" \
      "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password ${password}" \
      | $SUDO debconf-set-selections
    created_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
      $SUDO chmod 755 /usr/sbin/policy-rc.d
      created_policy="yes"
    fi
    status=0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      virtuoso-opensource >&2 || status=$?
    if [ -n "$created_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
    exit "$status"
    ;;
  *)
    echo "usage: $0 install|check" >&2
    exit 2
    ;;
esac
