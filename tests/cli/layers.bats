#!/usr/bin/env bats
# lib/ layering (docs/design/3-architecture.md): every folder uses only the
# folders below it, by symbol (nm of the built objects) and by #include.
load helpers
bats_require_minimum_version 1.5.0

# The build directory of the xctl under test (build/, build-san/, build-libbpf/).
build_dir() {
	local d
	d=$(dirname "$XCTL_BIN")
	if compgen -G "$d/lib/core/*.o" >/dev/null; then
		echo "$d"
	else
		echo "$BATS_TEST_DIRNAME/../../build"
	fi
}

@test "lib folders depend only on the folders below them" {
	run "$BATS_TEST_DIRNAME/../../tools/check-layers.sh" "$(build_dir)"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "the layer check fails on an upward include" {
	local tmp
	tmp=$(mktemp -d)
	cp -r "$BATS_TEST_DIRNAME/../../lib" "$BATS_TEST_DIRNAME/../../tools" "$tmp/"
	mkdir -p "$tmp/build"
	cp -r "$(build_dir)/lib" "$tmp/build/"
	echo '#include "control_type.h"' >>"$tmp/lib/xdp/xdp_mode.c"
	run "$tmp/tools/check-layers.sh" build
	rm -rf "$tmp"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lib/xdp/xdp_mode.c includes lib/control/control_type.h"* ]]
}
