#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (never a browser downloaded by Playwright).
# Installs it when it is missing and we may (root with apt-get); otherwise says what to do.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "ensure-chromium: $chromium_path is missing; installing Debian's chromium with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "ensure-chromium: no Chromium at $chromium_path. Install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
