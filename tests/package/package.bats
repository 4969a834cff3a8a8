#!/usr/bin/env bats
# The Debian packages, built once from a copy of this tree with
# `dpkg-buildpackage -b -us -uc` (make check-package). Oracles: dpkg-deb,
# readelf, hardening-check, lintian, systemd-analyze, the C compiler.

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (the build reads the kernel's BTF)"
	local top="$BATS_TEST_DIRNAME/../.."
	export PKGDIR="$BATS_FILE_TMPDIR/pkg"
	export ROOT="$BATS_FILE_TMPDIR/root"
	mkdir -p "$PKGDIR/xctl" "$ROOT"
	# what git tracks, plus new files not ignored: never build products
	(cd "$top" && git ls-files -co --exclude-standard -z |
		xargs -0 -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' |
		tar --null -T - -cf -) | tar -xf - -C "$PKGDIR/xctl"
	export BUILD_START=$SECONDS
	(cd "$PKGDIR/xctl" && dpkg-buildpackage -b -us -uc -j2) > "$PKGDIR/build.log" 2>&1 ||
		true
	echo "$(( SECONDS - BUILD_START ))" > "$PKGDIR/build.seconds"
	local deb
	for deb in "$PKGDIR"/xctl_*.deb "$PKGDIR"/libxctl0_*.deb "$PKGDIR"/libxctl-dev_*.deb; do
		[ -e "$deb" ] && dpkg -x "$deb" "$ROOT"
	done
	return 0
}

deb() {
	ls "$PKGDIR"/"$1"_*.deb
}

@test "dpkg-buildpackage -b -us -uc builds xctl, libxctl0 and libxctl-dev" {
	run tail -n 30 "$PKGDIR/build.log"
	[ -e "$(deb xctl)" ] || { echo "$output" >&2; return 1; }
	[ -e "$(deb libxctl0)" ]
	[ -e "$(deb libxctl-dev)" ]
	grep -q "dpkg-buildpackage: info: binary-only upload" "$PKGDIR/build.log"
	echo "# package build: $(cat "$PKGDIR/build.seconds") s" >&3
}

@test "xctl: binary, man pages, completion, unit, example layout and objects" {
	[ -x "$ROOT/usr/sbin/xctl" ]
	run "$ROOT/usr/sbin/xctl" -j version
	[ "$status" -eq 0 ]
	jq -e '.xctl' <<<"$output"
	local rst page
	for rst in "$BATS_TEST_DIRNAME"/../../man/*.rst; do
		page=$(basename "$rst" .rst)
		[ -s "$ROOT/usr/share/man/man${page##*.}/$page.gz" ] ||
			{ echo "missing man page $page" >&2; return 1; }
	done
	[ -s "$ROOT/usr/share/man/man8/xctl-apply.8.gz" ]
	[ -s "$ROOT/usr/share/man/man5/xctl.d.5.gz" ]
	grep -q "complete -F _xctl xctl" "$ROOT/usr/share/bash-completion/completions/xctl"
	[ -s "$ROOT/lib/systemd/system/xctl.service" ]
	[ -s "$ROOT/usr/share/doc/xctl/copyright" ]
	# the example objects are BPF objects, reachable under /usr/share/xctl
	for o in cc xdp_count; do
		file -L "$ROOT/usr/share/xctl/$o.bpf.o" | grep -q "eBPF"
	done
	# /etc/xctl: commented examples, conffiles, declaring nothing
	dpkg-deb -e "$(deb xctl)" "$BATS_TEST_TMPDIR/ctl"
	grep -qx /etc/xctl/modules.d/example.conf "$BATS_TEST_TMPDIR/ctl/conffiles"
	grep -qx /etc/xctl/xdp.d/example.conf "$BATS_TEST_TMPDIR/ctl/conffiles"
	grep -q "^#/usr/share/xctl/cc.bpf.o" "$ROOT/etc/xctl/modules.d/example.conf"
	run "$ROOT/usr/sbin/xctl" -j apply --config "$ROOT/etc/xctl" --dry-run
	[ "$status" -eq 0 ]
	[ "$(jq '.actions | length' <<<"$output")" -eq 0 ]
	# an example line, uncommented, is a valid declaration
	mkdir -p "$BATS_TEST_TMPDIR/conf/modules.d"
	sed -n 's|^#\(/usr/share/xctl/cc.bpf.o name xcc .*\)|\1|p' \
		"$ROOT/etc/xctl/modules.d/example.conf" |
		sed "s|/usr/share/xctl|$ROOT/usr/share/xctl|" > "$BATS_TEST_TMPDIR/conf/modules.d/x.conf"
	run "$ROOT/usr/sbin/xctl" -j apply --config "$BATS_TEST_TMPDIR/conf" --dry-run
	[ "$status" -eq 0 ]
	[ "$(jq -r '.actions[0] | "\(.name):\(.action)"' <<<"$output")" = "xcc:load" ]
}

@test "the unit: systemd-analyze verify accepts it; oneshot before network-pre.target" {
	local unit="$ROOT/lib/systemd/system/xctl.service"
	run env MANPATH="$ROOT/usr/share/man" systemd-analyze verify --root="$ROOT" "$unit"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ -z "$output" ]
	grep -qx "Type=oneshot" "$unit"
	grep -qx "RemainAfterExit=yes" "$unit"
	grep -qx "ExecStart=/usr/sbin/xctl apply" "$unit"
	grep -qx "ExecReload=/usr/sbin/xctl apply" "$unit"
	grep -qx "RequiresMountsFor=/sys/fs/bpf" "$unit"
	grep -q "^After=sys-fs-bpf.mount" "$unit"
	grep -q "^Before=network-pre.target" "$unit"
	grep -qx "Wants=network-pre.target" "$unit"
	# dh_installsystemd enables it at installation
	dpkg-deb -e "$(deb xctl)" "$BATS_TEST_TMPDIR/ctl"
	grep -q "deb-systemd-helper.*enable.*xctl.service" "$BATS_TEST_TMPDIR/ctl/postinst"
	# the check can fail: a unit whose command is missing, one with a typo
	local bad="$ROOT/lib/systemd/system/xctl-bad.service"
	sed 's|^ExecStart=/usr/sbin/xctl|ExecStart=/usr/sbin/xctl-nosuch|' "$unit" > "$bad"
	run systemd-analyze verify --man=no --root="$ROOT" "$bad"
	[ "$status" -ne 0 ]
	[[ $output == *"/usr/sbin/xctl-nosuch is not executable"* ]]
	sed 's/^Type=oneshot/Type=nosuch/' "$unit" > "$bad"
	run systemd-analyze verify --man=no --root="$ROOT" "$bad"
	[[ $output == *"Failed to parse service type"* ]]
	rm -f "$bad"
}

@test "libxctl0 and libxctl-dev: soname, headers, pkg-config; a program links and runs" {
	local libdir
	libdir=$(dirname "$(ls "$ROOT"/usr/lib/*/libxctl.so.0)")
	readelf -d "$libdir/libxctl.so.0" | grep -q 'SONAME.*\[libxctl.so.0\]'
	dpkg-deb -c "$(deb libxctl0)" | grep -q 'libxctl.so.0 ->'
	dpkg-deb -c "$(deb libxctl-dev)" | grep -q 'usr/include/xctl/xctl.h'
	dpkg-deb -c "$(deb libxctl-dev)" | grep -q 'libxctl.so ->'
	dpkg-deb -c "$(deb libxctl-dev)" | grep -q 'usr/share/man/man3/libxctl.3.gz'
	[ -s "$libdir/pkgconfig/libxctl.pc" ]
	dpkg-deb -f "$(deb libxctl-dev)" Depends | grep -q "libxctl0 (= "
	cat > "$BATS_TEST_TMPDIR/t.c" <<-'EOF'
	#include <stdio.h>
	#include <xctl/xctl.h>
	int main(void)
	{
		printf("%s\n", xctl_version());
		return 0;
	}
	EOF
	run bash -c "cc -o '$BATS_TEST_TMPDIR/t' '$BATS_TEST_TMPDIR/t.c' \
		\$(PKG_CONFIG_SYSROOT_DIR='$ROOT' PKG_CONFIG_LIBDIR='$libdir/pkgconfig' \
		  PKG_CONFIG_PATH=/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig \
		  pkg-config --cflags --libs libxctl) &&
		LD_LIBRARY_PATH='$libdir' '$BATS_TEST_TMPDIR/t'"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[ "$output" = "$(dpkg-deb -f "$(deb libxctl0)" Version)" ]
}

# bookworm's dpkg-buildflags has no control-flow protection (its "branch"
# feature came with dpkg 1.22), and its glibc start files carry no CET
# property, so hardening-check is told not to require it.
@test "hardening flags from dpkg-buildflags apply (hardening-check)" {
	local libdir
	libdir=$(dirname "$(ls "$ROOT"/usr/lib/*/libxctl.so.0)")
	run hardening-check --nocfprotection "$ROOT/usr/sbin/xctl" "$libdir/libxctl.so.0"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	grep -q -- "-fstack-protector-strong" "$PKGDIR/build.log"
	grep -q -- "-D_FORTIFY_SOURCE=2" "$PKGDIR/build.log"
	grep -q -- "-Wl,-z,now" "$PKGDIR/build.log"
}

@test "lintian reports no errors" {
	run lintian --tag-display-limit 0 "$PKGDIR"/xctl_*.changes
	echo "$output" | grep -v "^running with root privileges" >&3 || true
	! grep -q "^E:" <<<"$output"
}
