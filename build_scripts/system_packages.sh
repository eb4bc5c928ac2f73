#!/bin/bash
# Installs, from Debian's packages, only the system commands the build and the tests need
# that are missing, and calls apt-get not at all when nothing is.
#
# Node.js is installed before npm is looked at again: a vendor `nodejs` package (for
# example NodeSource's) brings npm itself and conflicts with Debian's `npm`, so asking for
# both at once fails where that repository is configured; Debian's own `nodejs` does not
# bring npm, and then `npm` is installed next.
set -euo pipefail

# command package: one line each, in install order. nginx, apache2, caddy: the hosting
# tests serve a publish with each server's stock Debian configuration, as merchants do.
REQUIRED="chromium chromium
nginx nginx
apache2 apache2
caddy caddy
node nodejs"
# Firefox ESR and WebKitGTK (with Xvfb for its window) for the engine tier, without the
# desktop packages they recommend (about 140 MB of archives instead of several hundred).
ENGINES="firefox-esr firefox-esr
WebKitWebDriver webkit2gtk-driver
Xvfb xvfb"

# nginx and apache2 live in sbin, which a user's PATH may not hold.
PATH="$PATH:${SHOPKEEPER_SBIN_DIRS:-/usr/sbin:/sbin}"

missing_packages() {
  local cmd pkg
  while read -r cmd pkg; do
    command -v "$cmd" >/dev/null 2>&1 || echo "$pkg"
  done <<<"$1"
}

run_apt() {
  if [ "$EUID" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get "$@"
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"
  fi
}

updated=0
apt_install() {
  echo "system-packages: installing $* from Debian's packages" >&2
  if [ "$updated" = 0 ]; then
    run_apt update -qq
    updated=1
  fi
  run_apt install -y -qq "$@"
}

mapfile -t packages < <(missing_packages "$REQUIRED")
if [ "${#packages[@]}" -gt 0 ]; then
  apt_install "${packages[@]}"
fi
mapfile -t engines < <(missing_packages "$ENGINES")
if [ "${#engines[@]}" -gt 0 ]; then
  apt_install --no-install-recommends "${engines[@]}"
fi
if ! command -v npm >/dev/null 2>&1; then
  apt_install npm
fi
