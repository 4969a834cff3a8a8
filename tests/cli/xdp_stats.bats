#!/usr/bin/env bats
# xctl xdp stats / show / features against the real kernel. Oracles: ethtool -S
# (the driver's own counters), ip -j link (attached program), the kernel's
# veth feature set.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	NSA=$(make_netns a)
	NSB=$(make_netns b)
	ip -n "$NSA" link add name v0 numtxqueues 2 numrxqueues 2 type veth \
		peer name v1 numtxqueues 2 numrxqueues 2 netns "$NSB"
	ip -n "$NSA" addr add 10.77.0.1/24 dev v0
	ip -n "$NSB" addr add 10.77.0.2/24 dev v1
	ip -n "$NSA" link set v0 up
	ip -n "$NSB" link set v1 up
	ip -n "$NSB" link set dev v1 xdpdrv obj "$EXAMPLES/xdp_count.bpf.o" sec xdp
	ip netns exec "$NSA" ping -c 5 -i 0.2 -q 10.77.0.2 >/dev/null
}

teardown() { common_teardown; }

# Sum of ethtool -S counters of $2 in netns $1 matching the regex $3.
ethsum() {
	ip netns exec "$1" ethtool -S "$2" | awk -v re="$3" '$1 ~ re { s += $2 } END { print s + 0 }'
}

@test "stats: counters equal ethtool's rx_queue_N_xdp sums; prog and mode from ip" {
	local p0 b0 p1 b1 pk by
	p0=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	b0=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_bytes:')
	run xctl -j -N "$NSB" xdp stats v1
	p1=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	b1=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_bytes:')
	assert_status 0
	assert_json
	[ "$p0" -ge 5 ]
	pk=$(jq '.[0].counters.packets' <<<"$output")
	by=$(jq '.[0].counters.bytes' <<<"$output")
	[ "$pk" -ge "$p0" ]
	[ "$pk" -le "$p1" ]
	[ "$by" -ge "$b0" ]
	[ "$by" -le "$b1" ]
	[ "$(jq -r '.[0].driver' <<<"$output")" = veth ]
	[ "$(jq -r '.[0].xdp.mode' <<<"$output")" = native ]
	[ "$(jq '.[0].xdp.prog.id' <<<"$output")" = \
	  "$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')" ]
	[ "$(jq -r '.[0].xdp.prog.name' <<<"$output")" = xdp_count ]
	# veth has no per-action PASS counter: absent, not a made-up 0
	[ "$(jq '.[0].counters | has("pass")' <<<"$output")" = false ]
}

@test "stats: no DEV lists devices with XDP; --all lists every device, lo included" {
	run xctl -j -N "$NSB" xdp stats
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].ifname] | join(",")' <<<"$output")" = v1 ]
	run xctl -j -N "$NSB" xdp stats --all
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].ifname] | sort | join(",")' <<<"$output")" = lo,v1 ]
	[ "$(jq -r '.[] | select(.ifname == "lo") | .xdp.prog' <<<"$output")" = null ]
}

@test "stats --queues: per-queue counters sum to the totals; --raw has the driver's strings" {
	run xctl -j -N "$NSB" xdp stats v1 --queues --raw
	assert_status 0
	assert_json
	[ "$(jq '[.[0].queues[] | select(.direction == "rx") | .packets] | add' <<<"$output")" = \
	  "$(jq '.[0].counters.packets' <<<"$output")" ]
	[ "$(jq '[.[0].queues[] | select(.direction == "rx") | .bytes] | add' <<<"$output")" = \
	  "$(jq '.[0].counters.bytes' <<<"$output")" ]
	[ "$(jq '[.[0].queues[] | select(.direction == "tx")] | length' <<<"$output")" = 2 ]
	[ "$(jq '.[0].raw | has("rx_queue_0_xdp_packets")' <<<"$output")" = true ]
	[ "$(jq '.[0].raw | has("tx_queue_1_xdp_xmit")' <<<"$output")" = true ]
	# a device without driver statistics (ethtool -S lo has none): no
	# queues, no raw strings, no counters
	! ip netns exec "$NSB" ethtool -S lo >/dev/null 2>&1
	run xctl -j -N "$NSB" xdp stats lo --queues --raw
	assert_status 0
	assert_json
	[ "$(jq -c '.[0] | [.queues, .raw, .counters]' <<<"$output")" = '[[],{},{}]' ]
}

@test "stats text: one row per device with the counters" {
	run xctl -N "$NSB" xdp stats --all
	assert_status 0
	[[ "${lines[0]}" == IFNAME* ]]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" == *"v1 "*"veth"*"native"*"xdp_count"* ]]
}

@test "stats --watch -j --count 2 prints two JSON documents with rates" {
	run xctl -j -N "$NSB" xdp stats v1 --watch 0.2 --count 2
	assert_status 0
	[ "${#lines[@]}" -eq 2 ]
	for l in "${lines[@]}"; do
		jq -e '.[0].rates | has("packets")' <<<"$l" >/dev/null
	done
}

@test "show: the attached program per mode; an xctl-attached link and its pin" {
	run xctl -j -N "$NSB" xdp show
	assert_status 0
	assert_json
	[ "$(jq '.[0].progs[0].id' <<<"$output")" = \
	  "$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')" ]
	[ "$(jq -r '.[0].progs[0].mode' <<<"$output")" = native ]
	[ "$(jq -r '.[0].progs[0].link' <<<"$output")" = null ]
	ip -n "$NSA" link set dev v0 up
	run xctl -N "$NSA" xdp attach v0 "$EXAMPLES/xdp_count.bpf.o"
	assert_status 0
	run xctl -j -N "$NSA" xdp show v0
	assert_status 0
	assert_json
	[ "$(jq -r '.[0].progs[0].link.pinned' <<<"$output")" = "$BPFFS/xctl/xdp/v0" ]
	[ "$(jq '.[0].progs[0].link.id' <<<"$output")" = \
	  "$(bpftool -j link show pinned "$BPFFS/xctl/xdp/v0" | jq .id)" ]
}

@test "features: veth advertises basic, redirect and rx-sg; ndo-xmit follows the peer's XDP" {
	run xctl -j -N "$NSB" xdp features v1
	assert_status 0
	assert_json
	jq -e '.[0].xdp_features | index("basic") and index("redirect") and index("rx-sg")' <<<"$output" >/dev/null
	# v0's peer (v1) has an XDP program, so v0 can take redirected frames
	run xctl -j -N "$NSA" xdp features v0
	assert_status 0
	jq -e '.[0].xdp_features | index("ndo-xmit")' <<<"$output" >/dev/null
	ip -n "$NSB" link set dev v1 xdpdrv off
	run xctl -j -N "$NSA" xdp features v0
	assert_status 0
	[ "$(jq '.[0].xdp_features | index("ndo-xmit")' <<<"$output")" = null ]
}

@test "bad input: unknown device, bad option, bad ifindex, missing netns" {
	run xctl -j -N "$NSB" xdp stats nosuchdev
	assert_status 1
	assert_json
	[ "$(jq .error.errno <<<"$output")" = 19 ]
	run xctl -j -N "$NSB" xdp stats --frob
	assert_status 2
	assert_json
	run xctl -j -N "$NSB" xdp stats ifindex x
	assert_status 2
	run xctl -j -N "$NSB" xdp stats v1 --all
	assert_status 2
	run xctl -j -N "$NSB" xdp stats v1 --count 2
	assert_status 2
	run xctl -j -N "$NSB" xdp features nosuchdev
	assert_status 1
	assert_json
	run xctl -j -N "$NSB" xdp show nosuchdev
	assert_status 1
	run xctl -j -N "xt-$UNIQ-none" xdp stats
	assert_status 1
	assert_json
}

@test "control lookup xdp: the same normalised counters, bounded by ethtool" {
	local p0 p1 pk
	p0=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	run xctl -j -N "$NSB" control lookup xdp v1
	p1=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	assert_status 0
	assert_json
	pk=$(jq '.value.packets' <<<"$output")
	[ "$pk" -ge "$p0" ]
	[ "$pk" -le "$p1" ]
	[ "$(jq -r '.value.mode' <<<"$output")" = native ]
	[ "$(jq '.value.pass' <<<"$output")" = null ]
	[ "$(jq '.value.prog_id' <<<"$output")" = \
	  "$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')" ]
}

@test "stats: in generic mode the driver's (native) XDP counters are not the program's" {
	# setup ran native XDP on v1: the driver's counters are non-zero
	[ "$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')" -ge 5 ]
	run xctl -j -N "$NSB" xdp stats v1
	[ "$(jq '.[0].counters_apply' <<<"$output")" = true ]
	ip -n "$NSB" link set dev v1 xdpdrv off
	ip -n "$NSB" link set dev v1 xdpgeneric obj "$EXAMPLES/xdp_count.bpf.o" sec xdp
	ip netns exec "$NSA" ping -c 3 -i 0.2 -q 10.77.0.2 >/dev/null
	# the driver still shows its stale native counts (ethtool) ...
	[ "$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')" -ge 5 ]
	run xctl -j -N "$NSB" xdp stats v1
	assert_status 0
	assert_json
	# ... which xctl does not present as the generic-mode program's
	[ "$(jq -r '.[0].xdp.mode' <<<"$output")" = generic ]
	[ "$(jq '.[0].counters' <<<"$output")" = null ]
	[ "$(jq '.[0].counters_apply' <<<"$output")" = false ]
	[[ $(jq -r '.[0].counters_note' <<<"$output") == *"native XDP only"* ]]
	[ "$(jq '.[0].xdp.prog.id' <<<"$output")" = \
	  "$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')" ]
	run xctl -N "$NSB" xdp stats v1
	assert_status 0
	[[ ${lines[1]} == v1*generic*" -"* ]]
	# the control type's view agrees: no counter applies
	run xctl -N "$NSB" -j control lookup xdp v1
	assert_status 0
	jq -e '.value.mode == "generic" and .value.packets == null and .value.bytes == null' <<<"$output"
	ip -n "$NSB" link set dev v1 xdpgeneric off
}
