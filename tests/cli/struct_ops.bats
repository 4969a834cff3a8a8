#!/usr/bin/env bats
# xctl struct_ops: list/show, dump, register, unregister against the real
# kernel. Oracles: /proc/sys/net/ipv4/tcp_available_congestion_control,
# bpftool (map/link/struct_ops show and dump), getsockopt(TCP_CONGESTION),
# the private bpffs itself.

load helpers

CC_OBJ="$EXAMPLES/cc.bpf.o"
SOPS_CC="$TESTS_BPF/sops_cc.bpf.o"

setup() {
	common_setup
	CA="xt$UNIQ"
	HOLDER_PID=
}

teardown() {
	local id
	[ -n "$HOLDER_PID" ] && kill "$HOLDER_PID" 2>/dev/null && wait "$HOLDER_PID" 2>/dev/null
	# legacy registrations outlive the bpffs: delete them
	if [ -f "$TMPD/legacy_ids" ]; then
		while read -r id; do
			bpftool struct_ops unregister id "$id" >/dev/null 2>&1
		done <"$TMPD/legacy_ids"
	fi
	common_teardown
}

ca_available() {
	grep -qw -- "$1" /proc/sys/net/ipv4/tcp_available_congestion_control
}

# Poll (bounded) until a CA is gone: unregistration frees it after an RCU
# grace period.
wait_ca_gone() {
	local i
	for i in $(seq 50); do
		ca_available "$1" || return 0
		sleep 0.1
	done
	return 1
}

# Field of one struct_ops map of `xctl -j struct_ops list`.
list_field() {
	xctl -j struct_ops list | jq -r --argjson id "$1" ".[] | select(.id == \$id) | $2"
}

# register OBJ ARGS...: registers and sets MAP_ID, LINK_ID, PIN from the output.
register() {
	run xctl -j struct_ops register "$@"
	assert_status 0
	assert_json
	MAP_ID=$(jq -r '.[0].map_id' <<<"$output")
	LINK_ID=$(jq -r '.[0].link_id' <<<"$output")
	PIN=$(jq -r '.[0].pinned' <<<"$output")
	if [ "$(jq -r '.[0].legacy' <<<"$output")" = true ]; then
		echo "$MAP_ID" >>"$TMPD/legacy_ids"
	fi
}

@test "struct_ops help and bad verbs" {
	run xctl struct_ops help
	assert_status 0
	[[ "$output" == *"register OBJ"* ]]
	run xctl -j struct_ops help
	assert_status 0
	assert_json
	run xctl struct_ops frobnicate
	assert_status 2
	run xctl -j struct_ops frobnicate
	assert_status 2
	assert_json
}

@test "register: a link-based CA stays registered and pinned after xctl exits" {
	register "$CC_OBJ" ops_name "$CA"
	[ "$(jq -r '.[0].kind' <<<"$output")" = tcp_congestion_ops ]
	[ "$(jq -r '.[0].ops_name' <<<"$output")" = "$CA" ]
	[ "$(jq -r '.[0].map' <<<"$output")" = xctl_cc ]
	[ "$PIN" = "$BPFFS/xctl/struct_ops/xctl_cc" ]
	ca_available "$CA"
	[ -e "$PIN" ]
	# oracle: bpftool sees the map as a BPF_F_LINK struct_ops map and the
	# pinned link as a struct_ops link
	run bpftool -j map show id "$MAP_ID"
	assert_status 0
	[ "$(jq -r .type <<<"$output")" = struct_ops ]
	[ $(( $(jq -r .flags <<<"$output") & 8192 )) -ne 0 ]
	run bpftool -j link show pinned "$PIN"
	assert_status 0
	[ "$(jq -r .id <<<"$output")" = "$LINK_ID" ]
	[ "$(jq -r .type <<<"$output")" = struct_ops ]
	# a TCP socket can select it
	python3 -c "import socket; s = socket.socket(); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b'$CA')"
}

@test "list: shows the registration, its pinned link and no users" {
	register "$CC_OBJ" ops_name "$CA"
	run xctl -j struct_ops list
	assert_status 0
	assert_json
	e=$(jq -c --argjson id "$MAP_ID" '.[] | select(.id == $id)' <<<"$output")
	[ "$(jq -r .name <<<"$e")" = xctl_cc ]
	[ "$(jq -r .kind <<<"$e")" = tcp_congestion_ops ]
	[ "$(jq -r .ops_name <<<"$e")" = "$CA" ]
	[ "$(jq -r .registered <<<"$e")" = true ]
	[ "$(jq -r '.links | length' <<<"$e")" = 1 ]
	[ "$(jq -r '.links[0].id' <<<"$e")" = "$LINK_ID" ]
	[ "$(jq -r '.links[0].pinned' <<<"$e")" = "$PIN" ]
	[ "$(jq -r .users <<<"$e")" = 0 ]
	[ "$(jq -r .module <<<"$e")" = null ]
	# show with a selector gives just that map
	run xctl -j struct_ops show id "$MAP_ID"
	assert_status 0
	assert_json
	[ "$(jq length <<<"$output")" = 1 ]
	[ "$(jq -r '.[0].ops_name' <<<"$output")" = "$CA" ]
	# text: an aligned table with a header
	run xctl struct_ops show pinned "$PIN"
	assert_status 0
	[[ "${lines[0]}" == ID*NAME*KIND*OPS_NAME*REGISTERED*LINKS*USERS* ]]
	[[ "${lines[1]}" == "$MAP_ID "*xctl_cc*tcp_congestion_ops*"$CA"*yes*"$LINK_ID"* ]]
}

@test "list: users rises while a TCP socket uses the CA" {
	register "$CC_OBJ" ops_name "$CA"
	[ "$(list_field "$MAP_ID" .users)" = 0 ]
	python3 -c "
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b'$CA')
t = socket.socket()
t.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b'$CA')
ca = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b'\0')
open('$TMPD/ready', 'w').write(ca.decode())
time.sleep(60)
" &
	HOLDER_PID=$!
	for i in $(seq 100); do
		[ -s "$TMPD/ready" ] && break
		sleep 0.1
	done
	[ "$(cat "$TMPD/ready")" = "$CA" ]
	[ "$(list_field "$MAP_ID" .users)" = 2 ]
	kill "$HOLDER_PID"
	wait "$HOLDER_PID" || true
	HOLDER_PID=
	for i in $(seq 50); do
		[ "$(list_field "$MAP_ID" .users)" = 0 ] && break
		sleep 0.1
	done
	[ "$(list_field "$MAP_ID" .users)" = 0 ]
}

@test "dump: CA name and program ids of the value, with map info" {
	register "$CC_OBJ" ops_name "$CA"
	run xctl -j struct_ops dump id "$MAP_ID"
	assert_status 0
	assert_json
	[ "$(jq -r .id <<<"$output")" = "$MAP_ID" ]
	[ "$(jq -r .kind <<<"$output")" = tcp_congestion_ops ]
	[ "$(jq -r .link_based <<<"$output")" = true ]
	[ "$(jq -r .value.data.name <<<"$output")" = "$CA" ]
	[ "$(jq -r .value.data.set_state <<<"$output")" = null ]
	doc=$output
	# oracle: bpftool's dump names the same program ids per member
	run bpftool struct_ops dump id "$MAP_ID"
	assert_status 0
	for m in ssthresh cong_avoid undo_cwnd init; do
		want=$(grep -o "xctl_cc_$m/prog_id:[0-9]*" <<<"$output" | cut -d: -f2)
		[ -n "$want" ]
		[ "$(jq -r ".value.data.$m.prog_id" <<<"$doc")" = "$want" ]
		[ "$(jq -r ".value.data.$m.prog_name" <<<"$doc")" = "xctl_cc_$m" ]
	done
	run bpftool -j map show id "$MAP_ID"
	[ "$(jq -r .bytes_value <<<"$output")" = "$(jq -r .value_size <<<"$doc")" ]
	# text mode renders the same document
	run xctl struct_ops dump pinned "$PIN"
	assert_status 0
	[[ "$output" == *"name: $CA"* ]]
}

@test "unregister: link-based registration is removed with its pin" {
	register "$CC_OBJ" ops_name "$CA"
	run xctl -j struct_ops unregister pinned "$PIN"
	assert_status 0
	assert_json
	[ "$(jq -r .id <<<"$output")" = "$MAP_ID" ]
	[ "$(jq -r '.links[0].id' <<<"$output")" = "$LINK_ID" ]
	[ "$(jq -r '.links[0].unpinned[0]' <<<"$output")" = "$PIN" ]
	[ "$(jq -r '.links[0].pinned | length' <<<"$output")" = 0 ]
	[ ! -e "$PIN" ]
	wait_ca_gone "$CA"
	run bpftool link show id "$LINK_ID"
	[ "$status" -ne 0 ] || [[ "$output" != *struct_ops* ]] || [[ "$output" == *"prog 0"* ]]
	# the same map again: not registered any more, or gone
	run xctl -j struct_ops unregister id "$MAP_ID"
	assert_status 1
	assert_json
}

@test "unregister: a link also pinned outside xctl's directory is detached and reported" {
	register "$CC_OBJ" ops_name "$CA"
	bpftool link pin id "$LINK_ID" "$BPFFS/outside"
	run xctl -j struct_ops show id "$MAP_ID"
	assert_status 0
	[ "$(jq -r '.[0].links[0].pinned' <<<"$output")" = "$PIN" ]
	run xctl -j struct_ops unregister id "$MAP_ID"
	assert_status 0
	assert_json
	[ "$(jq -r '.links[0].detached' <<<"$output")" = true ]
	[ "$(jq -r '.links[0].unpinned[0]' <<<"$output")" = "$PIN" ]
	[ "$(jq -r '.links[0].pinned[0]' <<<"$output")" = "$BPFFS/outside" ]
	[ ! -e "$PIN" ]
	[ -e "$BPFFS/outside" ]
	# detached although still pinned: the kernel no longer has the CA
	wait_ca_gone "$CA"
	# the warning names the pin left behind
	register "$CC_OBJ" ops_name "xb$UNIQ"
	bpftool link pin id "$LINK_ID" "$BPFFS/outside2"
	run xctl struct_ops unregister id "$MAP_ID"
	assert_status 0
	[[ "$output" == *"stays pinned at $BPFFS/outside2"* ]]
	wait_ca_gone "xb$UNIQ"
}

@test "register pin DIR (created) and unregister by name" {
	# `name` selects among every struct_ops map of the host: a copy of
	# sops_cc.bpf.o whose map has a name of this test's own (other tests,
	# here or in a concurrent run, register maps named sops_cc)
	unique_sym "$SOPS_CC" sops_cc
	register "$UNIQ_OBJ" pin "$BPFFS/xctl/mine" ops_name "$UNIQ_SYM=$CA"
	[ "$PIN" = "$BPFFS/xctl/mine/$UNIQ_SYM" ]
	[ -d "$BPFFS/xctl/mine" ]
	[ -e "$PIN" ]
	ca_available "$CA"
	# the kernel's map has the name (bpftool)
	[ "$(bpftool -j map show id "$MAP_ID" | jq -r .name)" = "$UNIQ_SYM" ]
	run xctl -j struct_ops unregister name "$UNIQ_SYM"
	assert_status 0
	assert_json
	[ "$(jq -r .id <<<"$output")" = "$MAP_ID" ]
	[ ! -e "$PIN" ]
	wait_ca_gone "$CA"
}

@test "register legacy, unregister deletes the element" {
	register "$SOPS_CC" ops_name "$CA" legacy
	[ "$(jq -r '.[0].link_id' <<<"$output")" = null ]
	[ "$(jq -r '.[0].pinned' <<<"$output")" = null ]
	ca_available "$CA"
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
	[ "$(list_field "$MAP_ID" .registered)" = true ]
	[ "$(list_field "$MAP_ID" '.links | length')" = 0 ]
	run bpftool -j map show id "$MAP_ID"
	[ $(( $(jq -r .flags <<<"$output") & 8192 )) -eq 0 ]
	run xctl -j struct_ops unregister id "$MAP_ID"
	assert_status 0
	assert_json
	[ "$(jq -r .legacy <<<"$output")" = true ]
	wait_ca_gone "$CA"
}

@test "register: a clash on the second map leaves nothing registered or pinned" {
	run xctl -j struct_ops register "$TESTS_BPF/sops_clash.bpf.o" ops_name "sops_first=$CA"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *reno* ]]
	[ "$(jq -r .error.errno <<<"$output")" = 17 ]
	! ca_available "$CA"
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
	# the first map is not registered anywhere: no struct_ops map has its name
	run xctl -j struct_ops list
	assert_status 0
	[ "$(jq --arg ca "$CA" '[.[] | select(.ops_name == $ca and .registered)] | length' <<<"$output")" = 0 ]
	# -d shows libbpf's log on stderr
	run xctl -d struct_ops register "$TESTS_BPF/sops_clash.bpf.o" ops_name "sops_first=$CA"
	assert_status 1
	[[ "$output" == *libbpf:* ]]
	! ca_available "$CA"
}

@test "register: bad objects" {
	echo "not an object" >"$TMPD/text.o"
	head -c 4000 "$CC_OBJ" >"$TMPD/trunc.o"
	for obj in "$TMPD/text.o" "$TMPD/trunc.o" "$TMPD/missing.o" "$TMPD" \
		   "$TESTS_BPF/sops_none.bpf.o"; do
		run xctl -j struct_ops register "$obj" ops_name "$CA"
		assert_status 1
		assert_json
		[[ "$(jq -r .error.message <<<"$output")" == *"$obj"* ]]
	done
	run xctl struct_ops register "$TMPD/text.o"
	[[ "$output" == *"not an ELF file"* ]]
	run xctl struct_ops register "$TMPD/trunc.o"
	[[ "$output" == *truncated* ]]
	run xctl struct_ops register "$TESTS_BPF/sops_none.bpf.o"
	[[ "$output" == *"no struct_ops maps"* ]]
	# an ops name too long for tcp_congestion_ops.name[16]
	run xctl -j struct_ops register "$CC_OBJ" ops_name "x${UNIQ}abcdefghij"
	assert_status 1
	assert_json
	# a rename of a map the object does not have
	run xctl -j struct_ops register "$CC_OBJ" ops_name "nosuchmap=$CA"
	assert_status 1
	assert_json
	! ca_available "$CA"
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
}

@test "register: bad arguments are usage errors" {
	run xctl -j struct_ops register
	assert_status 2
	assert_json
	run xctl -j struct_ops register "$CC_OBJ" frob
	assert_status 2
	assert_json
	run xctl -j struct_ops register "$CC_OBJ" pin
	assert_status 2
	assert_json
	run xctl -j struct_ops register "$CC_OBJ" ops_name =x
	assert_status 2
	assert_json
	! ca_available "$CA"
}

@test "register: pin DIR must be on the bpffs below xctl's directory" {
	run xctl -j struct_ops register "$CC_OBJ" ops_name "$CA" pin "$TMPD"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"not on a bpffs"* ]]
	mkdir "$BPFFS/elsewhere"
	run xctl -j struct_ops register "$CC_OBJ" ops_name "$CA" pin "$BPFFS/elsewhere"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *outside* ]]
	! ca_available "$CA"
	[ -z "$(ls -A "$BPFFS/elsewhere")" ]
}

@test "register: a pin path already taken is refused before loading" {
	register "$CC_OBJ" ops_name "$CA"
	run xctl -j struct_ops register "$CC_OBJ" ops_name "xb$UNIQ"
	assert_status 1
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 17 ]
	! ca_available "xb$UNIQ"
	ca_available "$CA"
}

@test "register: --no-mount with a directory that is not a bpffs" {
	run xctl_bin -j --bpffs "$TMPD" --no-mount struct_ops register "$CC_OBJ" ops_name "$CA"
	assert_status 1
	assert_json
	! ca_available "$CA"
	[ ! -e "$TMPD/xctl" ]
}

@test "selectors: unknown id, name, pin; malformed; ambiguous name" {
	run xctl -j struct_ops dump id 4294967295
	assert_status 1
	assert_json
	run xctl -j struct_ops dump name "nx$UNIQ"
	assert_status 1
	assert_json
	run xctl -j struct_ops unregister pinned "$BPFFS/nothing"
	assert_status 1
	assert_json
	# a pinned map of another type (LRU_PERCPU_HASH is 9, the number of
	# BPF_LINK_TYPE_STRUCT_OPS) is neither a struct_ops map nor a link
	bpftool map create "$BPFFS/lru" type lru_percpu_hash key 4 value 4 entries 4 name sops_lru
	run xctl -j struct_ops dump pinned "$BPFFS/lru"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"not a struct_ops map or link"* ]]
	run xctl -j struct_ops dump id abc
	assert_status 2
	assert_json
	# no selector: every map (see the dump test), not a usage error
	run xctl -j struct_ops dump
	assert_status 0
	jq -e 'type == "array"' <<<"$output"
	run xctl -j struct_ops dump id
	assert_status 2
	assert_json
	run xctl -j struct_ops dump frob 1
	assert_status 2
	assert_json
	run xctl -j struct_ops show id 1 extra
	assert_status 2
	assert_json
	# two maps named sops_cc: name is ambiguous and the error lists both
	mkdir -p "$BPFFS/xctl/a" "$BPFFS/xctl/b"
	register "$SOPS_CC" pin "$BPFFS/xctl/a" ops_name "xa$UNIQ"
	first=$MAP_ID
	register "$SOPS_CC" pin "$BPFFS/xctl/b" ops_name "xb$UNIQ"
	run xctl -j struct_ops unregister name sops_cc
	assert_status 1
	assert_json
	[[ "$output" == *ambiguous* ]]
	[[ "$output" == *"$first"* ]]
	[[ "$output" == *"$MAP_ID"* ]]
	run xctl -j struct_ops dump name sops_cc
	assert_status 1
	ca_available "xa$UNIQ"
	ca_available "xb$UNIQ"
}

@test "not root: clear errors without capabilities" {
	command -v capsh >/dev/null || skip "capsh missing"
	run capsh --drop=cap_bpf,cap_sys_admin,cap_net_admin,cap_perfmon -- -c \
		"'$XCTL_BIN' -j --bpffs '$BPFFS' struct_ops register '$CC_OBJ' ops_name '$CA'"
	assert_status 1
	assert_json
	record_json "$status" "$output" -j struct_ops register "$CC_OBJ" ops_name "$CA"
	[ "$(jq -r .error.errno <<<"$output")" = 1 ]
	[[ "$(jq -r .error.hint <<<"$output")" == *CAP_BPF* ]]
	! ca_available "$CA"
	run capsh --drop=cap_bpf,cap_sys_admin,cap_net_admin,cap_perfmon -- -c \
		"'$XCTL_BIN' -j --bpffs '$BPFFS' struct_ops list"
	assert_status 1
	assert_json
	record_json "$status" "$output" -j struct_ops list
	[ "$(jq -r .error.errno <<<"$output")" = 1 ]
}

@test "register: a program the verifier refuses; -d shows the verifier log" {
	run xctl -j struct_ops register "$TESTS_BPF/sops_bad.bpf.o" ops_name "$CA"
	assert_status 1
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 13 ]
	[[ "$(jq -r .error.message <<<"$output")" == *verifier* ]]
	run xctl -d struct_ops register "$TESTS_BPF/sops_bad.bpf.o" ops_name "$CA"
	assert_status 1
	[[ "$output" == *"no write support to tcp_sock"* ]]
	! ca_available "$CA"
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
}

@test "register: a kind the kernel does not register (bpf_dummy_ops) fails cleanly" {
	run xctl -j struct_ops register "$TESTS_BPF/sops_dummy.bpf.o"
	assert_status 1
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 95 ]
	[[ "$(jq -r .error.message <<<"$output")" == *bpf_dummy_ops* ]]
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
	# the ops name of a kind without one cannot be set
	run xctl -j struct_ops register "$TESTS_BPF/sops_dummy.bpf.o" ops_name "sops_dummy=$CA"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *sops_dummy* ]]
}

@test "unregister: a map that is not registered is an error; list says registered false" {
	register "$CC_OBJ" ops_name "$CA"
	# keep the map alive through a map pin, then end the registration by
	# removing the link's pin
	bpftool map pin id "$MAP_ID" "$BPFFS/map"
	rm "$PIN"
	wait_ca_gone "$CA"
	run xctl -j struct_ops show pinned "$BPFFS/map"
	assert_status 0
	assert_json
	[ "$(jq -r '.[0].id' <<<"$output")" = "$MAP_ID" ]
	[ "$(jq -r '.[0].registered' <<<"$output")" = false ]
	[ "$(jq -r '.[0].links | length' <<<"$output")" = 0 ]
	run xctl -j struct_ops unregister pinned "$BPFFS/map"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"not registered"* ]]
}

@test "dump without a selector: every struct_ops map in one JSON array, as bpftool" {
	register "$CC_OBJ" ops_name "$CA"
	run xctl -j struct_ops dump
	assert_status 0
	assert_json
	jq -e 'type == "array" and all(.[]; has("value") and has("id"))' <<<"$output"
	[ "$(jq -r --argjson id "$MAP_ID" '.[] | select(.id == $id) | .value.data.name' <<<"$output")" = "$CA" ]
	# bpftool's dump of the same map agrees on the CA name
	bpftool struct_ops dump id "$MAP_ID" | grep -q "$CA"
	run xctl struct_ops dump
	assert_status 0
	[[ "$output" == *"name: $CA"* ]]
}

@test "-q: struct_ops register and unregister print nothing on success" {
	run xctl -q struct_ops register "$CC_OBJ" ops_name "$CA"
	assert_status 0
	[ -z "$output" ]
	ca_available "$CA"
	MAP_ID=$(xctl -j struct_ops list | jq -r --arg ca "$CA" '.[] | select(.ops_name == $ca) | .id')
	[ -n "$MAP_ID" ]
	LINK_ID=$(xctl -j struct_ops show id "$MAP_ID" | jq -r '.[0].links[0].id')
	# a pin outside xctl's directory would be warned about; -q silences that too
	bpftool link pin id "$LINK_ID" "$BPFFS/outside"
	run xctl -q struct_ops unregister id "$MAP_ID"
	assert_status 0
	[ -z "$output" ]
	wait_ca_gone "$CA"
	# failures still speak
	run xctl -q struct_ops unregister id "$MAP_ID"
	assert_status 1
	[[ "$output" == *"xctl: error:"* ]]
}
