#!/usr/bin/env bats
# libxctl as a library: the installed files, the example program built on
# them from C11 and C++ and checked against `ip -s -j link`, and the
# library boundary (what libxctl exports, what lib/ and cli/ may call).

load helpers.bash

REPO="${BATS_TEST_DIRNAME}/../.."

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# The build dir of the xctl under test (build/, build-san/, build-libbpf/).
build_dir() {
	dirname "$XCTL_TEST_BIN"
}

# Install into $TMPD/root with the same build the suite runs against (the
# same variables: another LIBBPF_DIR or SANITIZE would rebuild the tree).
install_lib() {
	make -s -C "$REPO" install DESTDIR="$TMPD/root" PREFIX=/usr \
		${XCTL_SANITIZE:+SANITIZE=$XCTL_SANITIZE} ${XCTL_LIBBPF_DIR:+LIBBPF_DIR=$XCTL_LIBBPF_DIR} \
		>"$TMPD/install.log" 2>&1 || {
		cat "$TMPD/install.log" >&2
		return 1
	}
}

# pkg-config against the staged tree, as a cross/sysroot build would.
pc() {
	PKG_CONFIG_SYSROOT_DIR="$TMPD/root" PKG_CONFIG_PATH="$TMPD/root/usr/lib/pkgconfig" \
		pkg-config "$@"
}

# Build examples/rtnl_stats.c with compiler $1 and flags $2.. into $TMPD/ex.
build_example() {
	local cc=$1
	shift
	local san=()
	[ -n "${XCTL_SANITIZE:-}" ] && san=(-fsanitize="$XCTL_SANITIZE")
	# shellcheck disable=SC2046
	"$cc" "$@" -Wall -Wextra -pedantic -Werror "${san[@]}" -o "$TMPD/ex" \
		"$REPO/examples/rtnl_stats.c" $(pc --cflags --libs libxctl)
}

# Two namespaces joined by a veth pair with some traffic on it; no IPv6, so
# nothing changes the counters after the ping.
make_traffic() {
	A=$(make_netns a)
	B=$(make_netns b)
	ip netns exec "$A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$B" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$A" link add va type veth peer name vb netns "$B"
	ip -n "$A" addr add 10.77.0.1/24 dev va
	ip -n "$B" addr add 10.77.0.2/24 dev vb
	ip -n "$A" link set va up
	ip -n "$B" link set vb up
	ip netns exec "$A" ping -q -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null
}

# The oracle: "IFINDEX RX_PACKETS RX_BYTES TX_PACKETS TX_BYTES" per device.
ip_stats() {
	ip -n "$1" -s -j link show | jq -r '.[] | "\(.ifindex) \(.stats64.rx.packets) \(.stats64.rx.bytes) \(.stats64.tx.packets) \(.stats64.tx.bytes)"' | sort -n
}

@test "make install ships libxctl.so.0, self-contained headers and libxctl.pc" {
	install_lib
	local lib="$TMPD/root/usr/lib"
	[ -f "$lib/libxctl.so.0.1.0" ]
	[ "$(readlink "$lib/libxctl.so.0")" = libxctl.so.0.1.0 ]
	[ "$(readlink "$lib/libxctl.so")" = libxctl.so.0 ]
	readelf -d "$lib/libxctl.so.0.1.0" | grep -q 'SONAME.*\[libxctl\.so\.0\]'
	[ -f "$TMPD/root/usr/share/man/man3/libxctl.3" ]
	run pc --modversion libxctl
	assert_status 0
	[ "$output" = 0.1.0 ]
	pc --print-requires-private libxctl | grep -qx libbpf
	pc --print-requires-private libxctl | grep -qx libmnl
	# No private header is installed.
	[ ! -e "$TMPD/root/usr/include/xctl/xctl_priv.h" ]
	# Every installed header compiles on its own, as C11 and as C++.
	local h
	for h in "$TMPD"/root/usr/include/xctl/*.h; do
		printf '#include <xctl/%s>\nint main(void) { return 0; }\n' "$(basename "$h")" >"$TMPD/h.c"
		gcc -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only \
			$(pc --cflags libxctl) "$TMPD/h.c" || { echo "C11: $h" >&2; return 1; }
		g++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c++ \
			$(pc --cflags libxctl) "$TMPD/h.c" || { echo "C++: $h" >&2; return 1; }
	done
}

@test "the example reads per-device rtnl stats through the installed library: C11 and C++ agree with ip -s -j link" {
	install_lib
	make_traffic
	local want
	want=$(ip_stats "$A")
	[ "$(wc -l <<<"$want")" -eq 2 ]

	build_example gcc -std=c11
	run env LD_LIBRARY_PATH="$TMPD/root/usr/lib" ip netns exec "$A" "$TMPD/ex"
	assert_status 0
	[ "$(sort -n <<<"$output")" = "$want" ] || { echo "C11: $output / ip: $want" >&2; return 1; }
	# It runs on the installed library, not on a copy linked into it.
	LD_LIBRARY_PATH="$TMPD/root/usr/lib" ldd "$TMPD/ex" | grep -q "$TMPD/root/usr/lib/libxctl.so.0"

	build_example g++ -x c++ -std=c++11
	run env LD_LIBRARY_PATH="$TMPD/root/usr/lib" ip netns exec "$A" "$TMPD/ex"
	assert_status 0
	[ "$(sort -n <<<"$output")" = "$want" ] || { echo "C++: $output / ip: $want" >&2; return 1; }
	# Traffic it counted: the ping's packets on both sides of va.
	[ "$(awk '$1 != 1 {print $2}' <<<"$output")" -ge 3 ]
}

@test "libxctl.so exports only xctl_* symbols, and only the installed API" {
	local so
	so="$(build_dir)/libxctl.so.0"
	[ -f "$so" ]
	run bash -c "nm -D --defined-only '$so' | awk '{print \$3}' | sed 's/@.*//' | grep -v '^LIBXCTL_' | grep -v '^xctl_'"
	[ -z "$output" ] || { echo "exported without the xctl_ prefix: $output" >&2; return 1; }
	# Every exported function is declared in an installed header.
	local sym
	for sym in $(nm -D --defined-only "$so" | awk '$2 == "T" {print $3}' | sed 's/@.*//'); do
		grep -qw "$sym" "$REPO"/lib/include/xctl/*.h || { echo "not in an installed header: $sym" >&2; return 1; }
	done
	# The private interface stays hidden.
	! nm -D --defined-only "$so" | grep -qw -e xctl_errf -e xctl_module_list -e xctl_ctl_entry_json
}

@test "lib/ never prints, exits or reads the environment; no pause points outside test builds" {
	local so
	so="$(build_dir)/libxctl.so.0"
	run bash -c "nm -D --undefined-only '$so' | awk '{print \$2}' | sed 's/@.*//' | grep -xE 'printf|vprintf|puts|putchar|perror|exit|_exit|_Exit|abort|getenv|secure_getenv|environ|__environ|stdout|stderr|raise|kill|libbpf_set_print|err|errx|warn|warnx|error'"
	[ -z "$output" ] || { echo "libxctl uses: $output" >&2; return 1; }
	# The same in the sources, for code a compiler might inline away.
	run grep -rnE '\b(printf|puts|perror|exit|getenv|secure_getenv|raise|libbpf_set_print)\s*\(|\b(stdout|stderr|environ)\b' \
		"$REPO"/lib --include='*.c' --include='*.h'
	[ -z "$(grep -v 'XCTL_TEST_HOOKS' <<<"$output" | grep -v 'lib/module/module.c:.*\(getenv\|raise\)')" ] || {
		echo "$output" >&2; return 1; }
	# Hints are neutral: no CLI syntax (options, xctl commands) in lib/; a
	# hint the CLI words its own way carries a code (xctl_err_hint_code).
	run grep -rnE -A2 'xctl_err_hint\(' "$REPO"/lib --include='*.c'
	! grep -E "'xctl |xctl (xdp|control|struct_ops|module|apply|batch|exporter) |[ (']--[a-z]" <<<"$output" || {
		echo "hint with CLI syntax in lib/" >&2; return 1; }
	# The pause points exist only in the test build.
	! nm "$XCTL_BIN" | grep -qw xctl_test_pause
	nm "$XCTL_TEST_BIN" | grep -qw xctl_test_pause
}

@test "cli/ calls neither the kernel nor libbpf: only libxctl" {
	# The exporter's HTTP listener (a TCP socket) is the application's own
	# I/O, not kernel control: the one socket() allowed.
	run bash -c "grep -nE '\\b(bpf_[a-z_]+|btf__[a-z_]+|bpf_object__[a-z_]+|bpf_map__[a-z_]+|bpf_program__[a-z_]+|bpf_link__[a-z_]+|socket|ioctl|setns|mnl_[a-z_]+|syscall)\\s*\\(' \
		'$REPO'/cli/*.c '$REPO'/cli/*.h | grep -v 'exporter.c:.*socket(.*SOCK_STREAM'"
	[ -z "$output" ] || { echo "$output" >&2; return 1; }
	# libbpf's headers only where the application installs libbpf's print callback.
	run grep -lE '#include <(bpf|linux)/' "$REPO"/cli/*.c "$REPO"/cli/*.h
	[ "$output" = "$REPO/cli/libbpf_log.c" ] || { echo "$output" >&2; return 1; }
}
