#!/usr/bin/env bash
# Fetch bookworm-backports' libbpf1 and libbpf-dev into build/libbpf-backports/
# (dpkg -x layout: usr/include/bpf/, usr/lib/<multiarch>/), for
# `make LIBBPF_DIR=build/libbpf-backports`.
#
# apt runs with a private configuration (its own sources list, parts
# directory, lists, cache and status) under build/apt-backports/: the
# system's apt sources and state are never changed. The archive is the one
# the system already uses for bookworm. Prints the directory.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-build/libbpf-backports}
apt_dir=$PWD/build/apt-backports
suite=bookworm-backports

if [ -e "$out/usr/include/bpf/libbpf.h" ]; then
	echo "$out"
	exit 0
fi

# The Debian archive this host uses for bookworm itself.
uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
	awk '$2 == "bookworm" { print $1; exit }')
if [ -z "$uri" ]; then
	echo "libbpf-backports: no bookworm archive in the system's apt sources" >&2
	exit 1
fi

rm -rf "$apt_dir"
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" \
	"$apt_dir/cache/archives/partial" "$apt_dir/debs"
: >"$apt_dir/status"
arch=$(dpkg --print-architecture)
echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
	>"$apt_dir/sources.list"

apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::State::Status=$apt_dir/status"
	-o "Dir::Cache=$apt_dir/cache"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root"
	-o "APT::Get::List-Cleanup=0"
	-o "Acquire::Languages=none"
	-o "APT::Default-Release=$suite"
)

# Its own lists and cache need no lock, but apt is shared on the machines
# this runs on: take the project's apt lock all the same.
flock /tmp/xctl-apt.lock apt-get "${apt_opts[@]}" -qq update
(cd "$apt_dir/debs" &&
 flock /tmp/xctl-apt.lock apt-get "${apt_opts[@]}" -qq download \
	"libbpf1/$suite" "libbpf-dev/$suite")

rm -rf "$out.tmp"
mkdir -p "$out.tmp"
for deb in "$apt_dir"/debs/*.deb; do
	dpkg -x "$deb" "$out.tmp"
done
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
