#!/usr/bin/env bash
# The report's browser test drives Debian's Chromium (never a downloaded browser):
# `npm test` installs it first when it is missing and this machine lets us (root).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "entente tests: /usr/bin/chromium is missing; install Debian's chromium (sudo apt-get install chromium) and run again" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
