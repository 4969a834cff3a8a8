#!/usr/bin/env bats
# xctl xdp metadata {show|enable|disable}. Oracles: the kernel's symbols for
# veth's XDP metadata callbacks (/proc/kallsyms), the kfuncs' BTF as bpftool
# dumps it, and ethtool -T for timestamping.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	make_netns md >/dev/null
	NS="xt-$UNIQ-md"
	ip -n "$NS" link add va type veth peer name vb
	ip -n "$NS" link set va up
}

teardown() { common_teardown; }

xn() { xctl -N "$NS" "$@"; }

# Parameter names of kfunc $1 from the kernel's BTF (bpftool raw dump).
kfunc_params() {
	bpftool btf dump file /sys/kernel/btf/vmlinux > "$TMPD/btf.txt"
	local proto
	proto=$(awk -v f="'$1'" '$2 == "FUNC" && $3 == f { sub(/type_id=/, "", $4); print $4 }' \
		"$TMPD/btf.txt")
	awk -v id="[$proto]" '$1 == id { p = 1; next } p && /^\t/ { print $1; next } p { exit }' \
		"$TMPD/btf.txt" | tr -d "'"
}

@test "metadata show on veth matches the kernel's veth metadata callbacks" {
	run xn -j xdp metadata show va
	assert_status 0
	assert_json
	local field sym
	for field in timestamp hash vlan_tag; do
		if grep -qE " veth_xdp_rx_${field}( |$)" /proc/kallsyms; then sym=true; else sym=false; fi
		[ "$(jq -r ".xdp_rx_metadata.$field" <<<"$output")" = "$sym" ]
		[ "$(jq -r ".kfuncs[] | select(.field == \"$field\") | .supported" <<<"$output")" = "$sym" ]
	done
	[ "$(jq -r .driver <<<"$output")" = veth ]
	[ "$(jq -r '.xsk_tx_metadata | type' <<<"$output")" != string ]
	# veth has no hardware timestamping
	[ "$(jq -r .hwtstamp <<<"$output")" = null ]
	[ "$(jq -r .hwtstamp_error <<<"$output")" != null ]
}

@test "metadata show prints each kfunc's prototype from the kernel's BTF" {
	run xn -j xdp metadata show va
	assert_status 0
	local f proto p params
	for f in bpf_xdp_metadata_rx_timestamp bpf_xdp_metadata_rx_hash; do
		proto=$(jq -r ".kfuncs[] | select(.kfunc == \"$f\") | .prototype" <<<"$output")
		[[ "$proto" == "int $f("* ]]
		params=$(kfunc_params "$f")
		[ -n "$params" ]
		for p in $params; do
			[[ "$proto" == *"*$p"[,\)]* ]] || [[ "$proto" == *" $p"[,\)]* ]]
		done
	done
	run xn xdp metadata show va
	assert_status 0
	[[ "$output" == *"prototype: int bpf_xdp_metadata_rx_hash("* ]]
}

@test "metadata enable/disable timestamp on veth fails cleanly and changes nothing" {
	local before
	before=$(ip netns exec "$NS" ethtool -T va)
	run xn -j xdp metadata enable va timestamp
	assert_status 1
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 95 ]
	[[ "$(jq -r .error.message <<<"$output")" == timestamp:*"does not support hardware timestamping"* ]]
	run xn -j xdp metadata disable va timestamp
	assert_status 1
	assert_json
	[ "$(ip netns exec "$NS" ethtool -T va)" = "$before" ]
}

@test "metadata bad input: exact exit codes and valid JSON" {
	run xn -j xdp metadata show
	assert_status 2
	assert_json
	run xn -j xdp metadata show nosuchdev0
	assert_status 1
	assert_json
	run xn -j xdp metadata show va extra
	assert_status 2
	assert_json
	run xn -j xdp metadata enable va
	assert_status 2
	assert_json
	run xn -j xdp metadata enable va checksum
	assert_status 2
	assert_json
	run xn -j xdp metadata frob
	assert_status 2
	assert_json
	run xn -j xdp metadata help
	assert_status 0
	assert_json
}
