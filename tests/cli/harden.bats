#!/usr/bin/env bats
# Hostile input: crafted objects (tests/tools/craft_objs.py), files that are
# not regular files, unreadable objects, bad usage. Every refusal must exit 1
# (2 for usage), say what is wrong, and change nothing: the private bpffs
# stays empty, nothing is mounted, no XDP program appears on the device.
# Oracles: find(1) on the bpffs, /proc/self/mountinfo, ip -j link.
load helpers
bats_require_minimum_version 1.5.0

CC_OBJ="$EXAMPLES/cc.bpf.o"

setup_file() {
	CRAFT="$BATS_FILE_TMPDIR/craft"
	"$BATS_TEST_DIRNAME/../tools/craft_objs.py" "$CC_OBJ" "$CRAFT"
	export CRAFT
}

setup() {
	common_setup
	NAME="h$UNIQ"
	CA="xh$UNIQ"
	make_netns h >/dev/null
	NS="xt-$UNIQ-h"
}

teardown() { common_teardown; }

# Mount points at or below $1 (other test runs mount elsewhere concurrently).
mounts_below() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1' /proc/self/mountinfo | wc -l
}

# Nothing below the private bpffs (but the kernel's own maps.debug and
# progs.debug iterators), and no mount in the test's directory but it.
assert_untouched() {
	local left
	left=$(find "$BPFFS" -mindepth 1 ! -name '*.debug')
	[ -z "$left" ] || { echo "left in the bpffs: $left" >&2; return 1; }
	[ "$(mounts_below "$TMPD")" -eq 1 ] || {
		echo "mounts changed below $TMPD" >&2; return 1; }
	[ "$(ip -n "$NS" -j link show lo | jq -r '.[0].xdp // "none"')" = none ]
}

# Module NAME in the test's bpffs and NAMEo in a second bpffs at TMPD/other.
two_modules() {
	mkdir "$TMPD/other"
	mount -t bpf bpf "$TMPD/other"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" module load "$CC_OBJ" name "${NAME}o" ops_name "${CA}o"
	run -0 xctl module load "$CC_OBJ" name "$NAME" ops_name "$CA"
}

# Every command that reads an object refuses $1 with exit 1 and message $2.
refused_everywhere() {
	local obj=$1 msg=$2
	run -1 timeout 20 "$XCTL_BIN" --bpffs "$BPFFS" module load "$obj" name "$NAME" ops_name "$CA"
	[[ "$output" == *"$msg"* ]] || { echo "module load: $output" >&2; return 1; }
	assert_untouched
	run -1 timeout 20 "$XCTL_BIN" --bpffs "$BPFFS" struct_ops register "$obj" ops_name "$CA"
	[[ "$output" == *"$msg"* ]] || { echo "struct_ops register: $output" >&2; return 1; }
	assert_untouched
	run -1 timeout 20 "$XCTL_BIN" --bpffs "$BPFFS" module info "$obj"
	[[ "$output" == *"$msg"* ]] || { echo "module info: $output" >&2; return 1; }
	run -1 timeout 20 "$XCTL_BIN" --bpffs "$BPFFS" -N "$NS" xdp attach lo "$obj"
	[[ "$output" == *"$msg"* ]] || { echo "xdp attach: $output" >&2; return 1; }
	assert_untouched
	run -1 timeout 20 "$XCTL_BIN" -j --bpffs "$BPFFS" module load "$obj" name "$NAME"
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"$msg"* ]]
	assert_untouched
}

@test "crafted: ops name member of 32 MiB (heap overflow when renaming)" {
	refused_everywhere "$CRAFT/name-huge.o" "member 'name' of [251] struct 'tcp_congestion_ops' (offset 88, size 33554432) exceeds its size 192"
}

# The refusal of a BTF name offset outside the strings: libbpf 1.3 and later
# refuse such BTF in btf__new() themselves (btf_sanity_check), before
# xctl's own check can name the offset.
bad_name_msg() {
	case "$("$XCTL_BIN" -j version | jq -r .libbpf)" in
	1.[012]|1.[012].*) echo "name offset 2147483632 outside the string section" ;;
	*) echo "its BTF is corrupt (libbpf cannot parse it)" ;;
	esac
}

@test "crafted: member name offset outside the BTF strings" {
	refused_everywhere "$CRAFT/member-name.o" "$(bad_name_msg)"
}

@test "crafted: struct_ops variable name offset outside the BTF strings" {
	refused_everywhere "$CRAFT/var-name.o" "$(bad_name_msg)"
}

@test "crafted: name member placed outside its struct" {
	refused_everywhere "$CRAFT/member-off.o" "member 'name' of [251] struct 'tcp_congestion_ops' (offset 524272, size 16) exceeds its size 192"
}

@test "crafted: map symbol past the end of .struct_ops" {
	refused_everywhere "$CRAFT/sym-value.o" "lies outside its section .struct_ops (192 bytes)"
}

@test "crafted: variable symbol in a reserved section far past .struct_ops (libbpf 1.1 reads there)" {
	refused_everywhere "$CRAFT/sym-reserved.o" "variable xctl_cc (offset 280375465082879, "
}

@test "crafted: relocation naming a symbol that does not exist (libbpf 1.1 reads out of bounds)" {
	refused_everywhere "$CRAFT/reloc-sym.o" "names symbol 16777215 of"
}

@test "crafted: typedef loop (libbpf follows it forever)" {
	refused_everywhere "$CRAFT/btf-loop.o" "is part of a reference loop"
}

@test "crafted: .BTF.ext record naming a type that does not exist" {
	refused_everywhere "$CRAFT/ext-type.o" ".BTF.ext function info refer to types or strings outside the BTF"
}

@test "crafted: section headers past the end of the file" {
	refused_everywhere "$CRAFT/shdr-trunc.o" "truncated ELF file (section headers missing)"
}

@test "crafted: big-endian object is named as such" {
	refused_everywhere "$CRAFT/big-endian.o" "it is a big-endian object; this host is little-endian"
}

@test "the unmodified base of the crafted objects loads (the crafts are what is refused)" {
	run -0 xctl module info "$CRAFT/base.o"
	run -0 xctl -j module load "$CRAFT/base.o" name "$NAME" ops_name "$CA"
	grep -qw -- "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control
	run -0 xctl module unload "$NAME"
}

@test "a FIFO, /dev/zero and a directory as OBJ are refused at once" {
	mkfifo "$TMPD/fifo.o"
	refused_everywhere "$TMPD/fifo.o" "it is a FIFO, not a regular file"
	refused_everywhere /dev/zero "it is a character device, not a regular file"
	mkdir "$TMPD/dir.o"
	refused_everywhere "$TMPD/dir.o" "it is a directory, not a regular file"
}

@test "module info NAME does not hang when the recorded object became a FIFO" {
	cp "$CC_OBJ" "$TMPD/obj.o"
	run -0 xctl module load "$TMPD/obj.o" name "$NAME" ops_name "$CA"
	rm "$TMPD/obj.o"
	mkfifo "$TMPD/obj.o"
	run -0 timeout 10 "$XCTL_BIN" --bpffs "$BPFFS" -j module info "$NAME"
	assert_json
	[ "$(jq -r .name <<<"$output")" = "$NAME" ]
	[ "$(jq -r .license <<<"$output")" = null ]
	run -0 xctl module unload "$NAME"
}

@test "an unreadable object says permission denied, not 'run as root', even as root" {
	cp "$CC_OBJ" "$TMPD/perm.o"
	chmod 000 "$TMPD/perm.o"
	run -1 capsh --drop=cap_dac_override,cap_dac_read_search -- -c \
		"'$XCTL_BIN' --bpffs '$BPFFS' module info '$TMPD/perm.o'"
	[[ "$output" == *"permission denied by the file's mode"* ]]
	[[ "$output" != *"run as root"* ]]
	[[ "$output" != *"CAP_BPF"* ]]
}

@test "help takes no arguments" {
	run -2 xctl help extra
	[[ "$output" == *"'help' takes no arguments (got 'extra')"* ]]
	run -2 xctl module help extra
	run -0 xctl help
}

@test "a failed load on an empty --bpffs directory leaves it unmounted and empty" {
	mkdir "$TMPD/empty"
	run -1 "$XCTL_BIN" --bpffs "$TMPD/empty" module load "$TMPD/missing.o"
	[[ "$output" == *"cannot open object $TMPD/missing.o"* ]]
	! mountpoint -q "$TMPD/empty"
	[ -z "$(ls -A "$TMPD/empty")" ]
	[ "$(mounts_below "$TMPD")" -eq 1 ]
	# failing in the kernel (the verifier refuses the object) after mounting
	run -1 "$XCTL_BIN" --bpffs "$TMPD/empty" module load "$TESTS_BPF/mod_reject.bpf.o" \
		name "$NAME" ops_name "$CA"
	! mountpoint -q "$TMPD/empty"
	[ "$(mounts_below "$TMPD")" -eq 1 ]
	# a mount point xctl had to create is removed again
	run -1 "$XCTL_BIN" --bpffs "$TMPD/new/deeper" module load "$TESTS_BPF/mod_reject.bpf.o" \
		name "$NAME" ops_name "$CA"
	[ ! -e "$TMPD/new" ]
}

@test "failed commands leave no empty xctl directories in the bpffs" {
	run -1 xctl module load "$TESTS_BPF/mod_reject.bpf.o" name "$NAME" ops_name "$CA"
	assert_untouched
	run -1 xctl struct_ops register "$TESTS_BPF/mod_reject.bpf.o" ops_name "$CA"
	assert_untouched
	run -1 xctl -N "$NS" xdp attach lo "$TESTS_BPF/redir_pass.bpf.o" prog nosuchprog
	assert_untouched
	# what existed before a failure stays
	run -0 xctl module load "$CC_OBJ" name "$NAME" ops_name "$CA"
	run -1 xctl module load "$TESTS_BPF/mod_reject.bpf.o" name "${NAME}b" ops_name "${CA}b"
	[ -d "$BPFFS/xctl/modules/$NAME" ]
	[ ! -e "$BPFFS/xctl/modules/${NAME}b" ]
	run -0 xctl module unload "$NAME"
}

@test "read-only commands refuse a --bpffs that is not a bpffs" {
	mkdir "$TMPD/plain"
	head -c 4096 /dev/zero >"$TMPD/file"
	for d in "$TMPD/plain" "$TMPD/file" "$TMPD/none"; do
		run -1 "$XCTL_BIN" --bpffs "$d" module list
		[[ "$output" == *"--bpffs $d is not a bpffs mount"* ]]
		run -1 "$XCTL_BIN" --bpffs "$d" struct_ops list
		[[ "$output" == *"--bpffs $d is not a bpffs mount"* ]]
		run -1 "$XCTL_BIN" -j --bpffs "$d" module info "$NAME"
		assert_json
	done
	! mountpoint -q "$TMPD/plain"
	[ ! -e "$TMPD/none" ]
}

@test "ops names that are not valid for their kind are refused, and -j still prints the error" {
	for bad in $'rel\xff\xe9' 'has space' '..' '.' 'a/b'; do
		run -1 xctl module load "$CC_OBJ" name "$NAME" ops_name "$bad"
		[[ "$output" == *"ASCII letters, digits, '_' and '.'"* ]]
		run -1 xctl -j struct_ops register "$CC_OBJ" ops_name "$bad"
		assert_json
		[[ "$(jq -r .error.message <<<"$output")" == *"cannot rename tcp_congestion_ops"* ]]
	done
	assert_untouched
	run -2 xctl -j module load $'/tmp/\xff.o'
	assert_json
}

@test "unload never follows a symlink at modules/NAME (nothing outside the bpffs is removed)" {
	mkdir -p "$TMPD/outside" "$BPFFS/xctl/modules"
	echo keep >"$TMPD/outside/meta"
	ln -s "$TMPD/outside" "$BPFFS/xctl/modules/$NAME"
	run -1 xctl module unload "$NAME"
	[[ "$output" == *"refusing to use $BPFFS/xctl/modules/$NAME: a component of it is a symbolic link"* ]]
	[ "$(cat "$TMPD/outside/meta")" = keep ]
	run -1 xctl module info "$NAME"
	[ "$(cat "$TMPD/outside/meta")" = keep ]
	run -1 xctl module reload "$NAME" "$CC_OBJ"
	[[ "$output" == *"refusing to use $BPFFS/xctl/modules/$NAME"* ]]
	# list shows it (never silently skipped), without following it
	run -0 xctl -j module list
	assert_json
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state' <<<"$output")" = foreign ]
	[[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .problem' <<<"$output")" == *"symbolic link"* ]]
	run -0 xctl module list
	[[ "$output" == *"$NAME"*foreign* ]]
	[ "$(cat "$TMPD/outside/meta")" = keep ]
	[ -z "$(find "$TMPD/outside" -newer "$TMPD/outside/meta" -mindepth 1)" ]
	rm "$BPFFS/xctl/modules/$NAME"
}

@test "load never creates anything through a symlink at xctl/modules or its maps directory" {
	mkdir -p "$TMPD/outside" "$BPFFS/xctl"
	ln -s "$TMPD/outside" "$BPFFS/xctl/modules"
	run -1 xctl module load "$CC_OBJ" name "$NAME" ops_name "$CA"
	[[ "$output" == *"refusing to use $BPFFS/xctl/modules"*"symbolic link"* ]]
	[ -z "$(ls -A "$TMPD/outside")" ]
	! grep -qw -- "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control
	rm "$BPFFS/xctl/modules"
}

@test "a symlink at BPFFS/xctl is refused by load, register and attach, and nothing is made or pruned through it" {
	mkdir -p "$TMPD/outside/modules/keep-empty"
	ln -s "$TMPD/outside" "$BPFFS/xctl"
	run -1 xctl module load "$CC_OBJ" name "$NAME" ops_name "$CA"
	[[ "$output" == *"refusing to use $BPFFS/xctl"*"symbolic link"* ]]
	run -1 xctl struct_ops register "$CC_OBJ" ops_name "$CA"
	[[ "$output" == *"refusing to use $BPFFS/xctl"*"symbolic link"* ]]
	run -1 xctl -N "$NS" xdp attach lo "$EXAMPLES/xdp_count.bpf.o"
	[[ "$output" == *"refusing to use $BPFFS/xctl"*"symbolic link"* ]]
	[ "$(ip -n "$NS" -j link show lo | jq -r '.[0].xdp // "none"')" = none ]
	[ "$(cd "$TMPD/outside" && find . | sort | tr '\n' ' ')" = ". ./modules ./modules/keep-empty " ]
	! grep -qw -- "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control
	rm "$BPFFS/xctl"
}

@test "reload never follows a symlink at modules/NAME/meta or a link pin" {
	two_modules
	# the record replaced by a link to the other bpffs's record
	mv "$BPFFS/xctl/modules/$NAME/meta" "$BPFFS/xctl/kept-meta"
	ln -s "$TMPD/other/xctl/modules/${NAME}o/meta" "$BPFFS/xctl/modules/$NAME/meta"
	run -1 xctl module reload "$NAME" "$CC_OBJ"
	[[ "$output" == *"refusing to use meta: it is a symbolic link"* ]]
	[ -e "$TMPD/other/xctl/modules/${NAME}o/meta" ]
	run -0 xctl -j module list
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state' <<<"$output")" = foreign ]
	[[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .problem' <<<"$output")" == *"/meta is not xctl's"* ]]
	rm "$BPFFS/xctl/modules/$NAME/meta"
	mv "$BPFFS/xctl/kept-meta" "$BPFFS/xctl/modules/$NAME/meta"
	# the module's link pin replaced by a link to the other registration
	mv "$BPFFS/xctl/modules/$NAME/xctl_cc" "$BPFFS/xctl/kept-link"
	ln -s "$TMPD/other/xctl/modules/${NAME}o/xctl_cc" "$BPFFS/xctl/modules/$NAME/xctl_cc"
	run -1 xctl module reload "$NAME" "$CC_OBJ" ops_name "${CA}n"
	[[ "$output" == *"refusing to use $BPFFS/xctl/modules/$NAME/xctl_cc: it is a symbolic link, not a pin"* ]]
	! grep -qw -- "${CA}n" /proc/sys/net/ipv4/tcp_available_congestion_control
	rm "$BPFFS/xctl/modules/$NAME/xctl_cc"
	mv "$BPFFS/xctl/kept-link" "$BPFFS/xctl/modules/$NAME/xctl_cc"
	# the other module's registration is untouched by all of it
	grep -qw -- "${CA}o" /proc/sys/net/ipv4/tcp_available_congestion_control
	run -0 "$XCTL_BIN" -j --bpffs "$TMPD/other" module list
	[ "$(jq -r --arg n "${NAME}o" '.[] | select(.name == $n) | .state' <<<"$output")" = loaded ]
	run -0 xctl module unload "$NAME"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" module unload "${NAME}o"
	umount "$TMPD/other"
}

@test "struct_ops register never pins through a symlinked directory" {
	mkdir "$TMPD/other"
	mount -t bpf bpf "$TMPD/other"
	mkdir -p "$TMPD/other/elsewhere" "$BPFFS/xctl"
	# the default directory, and one named with 'pin'
	ln -s "$TMPD/other/elsewhere" "$BPFFS/xctl/struct_ops"
	run -1 xctl struct_ops register "$CC_OBJ" ops_name "$CA"
	[[ "$output" == *"refusing to use $BPFFS/xctl/struct_ops"*"symbolic link"* ]]
	run -1 xctl struct_ops register "$CC_OBJ" ops_name "$CA" pin "$BPFFS/xctl/struct_ops/sub"
	[[ "$output" == *"refusing to use"*"symbolic link"* ]]
	rm "$BPFFS/xctl/struct_ops"
	ln -s "$TMPD/other/elsewhere" "$BPFFS/xctl/mine"
	run -1 xctl struct_ops register "$CC_OBJ" ops_name "$CA" pin "$BPFFS/xctl/mine"
	[[ "$output" == *"refusing to use $BPFFS/xctl/mine"*"symbolic link"* ]]
	[ -z "$(ls -A "$TMPD/other/elsewhere")" ]
	! grep -qw -- "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control
	rm "$BPFFS/xctl/mine"
	umount "$TMPD/other"
}

@test "struct_ops unregister never follows a symlink in xctl's tree to another registration" {
	mkdir "$TMPD/other"
	mount -t bpf bpf "$TMPD/other"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" -j struct_ops register "$CC_OBJ" ops_name "${CA}o"
	other=$(jq -r '.[0].pinned' <<<"$output")
	[ -e "$other" ]
	mkdir -p "$BPFFS/xctl/struct_ops"
	ln -s "$other" "$BPFFS/xctl/struct_ops/stolen"
	run -1 xctl struct_ops unregister pinned "$BPFFS/xctl/struct_ops/stolen"
	[[ "$output" == *"refusing to use $BPFFS/xctl/struct_ops/stolen"*"symbolic link"* ]]
	grep -qw -- "${CA}o" /proc/sys/net/ipv4/tcp_available_congestion_control
	[ -e "$other" ]
	# the inventory does not take the link for a pin of the registration
	run -0 xctl -j struct_ops list
	assert_json
	[ "$(jq -r --arg p "$BPFFS/xctl/struct_ops/stolen" '[.. | strings | select(. == $p)] | length' <<<"$output")" = 0 ]
	rm "$BPFFS/xctl/struct_ops/stolen"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" struct_ops unregister pinned "$other"
	! grep -qw -- "${CA}o" /proc/sys/net/ipv4/tcp_available_congestion_control
	umount "$TMPD/other"
}

@test "unload never follows a symlink at modules/NAME/MAP (another bpffs's registration stays)" {
	# a registration pinned in a second bpffs, linked into this module's directory
	two_modules
	ln -s "$TMPD/other/xctl/modules/${NAME}o/xctl_cc" "$BPFFS/xctl/modules/$NAME/stolen"
	run -1 xctl module unload "$NAME"
	[[ "$output" == *"refusing to unload module $NAME"*"stolen is not a pin xctl made"* ]]
	run -0 xctl -j module list
	assert_json
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state' <<<"$output")" = foreign ]
	[[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .problem' <<<"$output")" == *"/stolen is not xctl's"* ]]
	grep -qw -- "${CA}o" /proc/sys/net/ipv4/tcp_available_congestion_control
	grep -qw -- "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control
	[ -e "$TMPD/other/xctl/modules/${NAME}o/xctl_cc" ]
	rm "$BPFFS/xctl/modules/$NAME/stolen"
	run -0 xctl module unload "$NAME"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" module unload "${NAME}o"
	umount "$TMPD/other"
}
