#!/bin/sh
# Install the Debian packages xctl needs to build, run and test.
# As root: apt-get installs what is missing. Otherwise: print the command.
set -e
PKGS="make gcc pkg-config clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev
libjansson-dev libmnl-dev libssl-dev python3-docutils libcmocka-dev bats jq
iproute2 ethtool iputils-ping libcap2-bin bash-completion procps python3 util-linux file
libmicrohttpd-dev prometheus python3-prometheus-client python3-jsonschema curl strace
libclang-rt-14-dev"
# `tools/deps.sh package`: what building and checking the Debian packages
# needs in addition (make check-package).
[ "${1:-}" = package ] && PKGS="dpkg-dev debhelper devscripts lintian systemd man-db binutils git"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "xctl: missing packages:$missing" >&2
	echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "xctl: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends $missing
