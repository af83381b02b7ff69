#!/usr/bin/env bash
# Installs Debian's Chromium for the console's browser tests, once. Idempotent: does nothing
# when /usr/bin/chromium is already there. Needs root (CI and our machines run as root).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

# Two test JVMs may call this at once; apt holds its own lock, but serialise ourselves too.
exec 9>/tmp/bunker-install-chromium.lock
flock 9
if [ -x /usr/bin/chromium ]; then
  exit 0
fi

sudo_prefix=""
if [ "$(id -u)" != "0" ]; then
  sudo_prefix="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo_prefix apt-get update -qq
$sudo_prefix apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
test -x /usr/bin/chromium
