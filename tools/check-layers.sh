#!/usr/bin/env bash
# Check that each lib/ folder depends only on the folders below it
# (docs/design/3-architecture.md): by the symbols its objects use
# (nm over BUILD/lib/<folder>/*.o) and by the headers its files include.
# Prints every upward or sideways dependency and exits 1 when there is one.
# Usage: tools/check-layers.sh [BUILD]   (default: build)
set -u
export LC_ALL=C
cd "$(dirname "$0")/.."
build=${1:-build}

# The layers, lowest first; folders on one line are siblings (neither may
# use the other).
rank() {
	case $1 in
	core) echo 0 ;;
	nl | btf) echo 1 ;;
	struct_ops | xdp) echo 2 ;;
	module) echo 3 ;;
	control | apply) echo 4 ;;
	*) echo -1 ;;
	esac
}

bad=0
dirs=$(cd lib && ls -d */ | tr -d / | grep -v -e '^include$' -e '^bpf$')
for d in $dirs; do
	[ "$(rank "$d")" -ge 0 ] || { echo "lib/$d: a folder without a layer"; bad=1; }
done

# symbols: who defines what
defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
for d in $dirs; do
	ls "$build/lib/$d/"*.o >/dev/null 2>&1 || { echo "no objects in $build/lib/$d (build first)"; exit 1; }
	nm -g --defined-only "$build/lib/$d/"*.o | awk -v d="$d" 'NF == 3 { print $3, d }'
done | sort -u >"$defs"
for d in $dirs; do
	nm -u "$build/lib/$d/"*.o | awk '{ print $2 }' | sort -u | join - "$defs" |
	while read -r sym to; do
		[ "$to" = "$d" ] && continue
		if [ "$(rank "$to")" -ge "$(rank "$d")" ]; then
			echo "lib/$d uses $sym of lib/$to"
			echo x
		fi
	done
done | tee /dev/stderr | grep -qx x && bad=1

# headers: a file may include headers of its own folder and of folders below
for d in $dirs; do
	for f in lib/"$d"/*.[ch]; do
		grep -o '^#include "[^"]*"' "$f" | cut -d'"' -f2 | while read -r h; do
			for o in $dirs; do
				[ "$o" = "$d" ] && continue
				[ -e "lib/$o/$h" ] || continue
				if [ "$(rank "$o")" -ge "$(rank "$d")" ]; then
					echo "$f includes lib/$o/$h"
					echo x
				fi
			done
		done
	done
done 2>&1 | tee /dev/stderr | grep -qx x && bad=1

exit $bad
