#!/bin/sh
# Installs the Debian 12 packages the build, the tests and `make run` need.
# Idempotent and silent when everything is already present.
PKGS="build-essential make gcc binutils python3 git
      qemu-system-x86 busybox-static cpio xz-utils
      libxen-dev xenstore-utils libyajl-dev liblzma-dev zlib1g-dev libzstd-dev
      grub-pc-bin grub-common xorriso mtools
      clang libclang-rt-14-dev"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || exit 1
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
echo "setup: done"
