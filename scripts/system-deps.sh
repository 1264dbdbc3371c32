#!/usr/bin/env bash
# Debian packages the test suite drives: chromium (browser tests), zbar-tools (QR
# decoding), poppler-utils (PDF text), gettext (the translation catalogue check),
# redis-server (the shared-cache tests of the PostgreSQL run),
# fonts-dejavu-core. Installs what is missing when run as root; otherwise says what to
# install.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v xgettext >/dev/null || need+=(gettext)
command -v redis-server >/dev/null || need+=(redis-server)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]}. Install them: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
