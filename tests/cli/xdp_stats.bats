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

@test "stats --watch -j --count 2 prints two JSON lines with time, interval, devices and rates" {
	local t0 t1
	run xctl -j -N "$NSB" xdp stats v1 --watch 0.2 --count 2
	assert_status 0
	[ "${#lines[@]}" -eq 2 ]
	for l in "${lines[@]}"; do
		jq -e '.devices[0].rates | has("packets")' <<<"$l" >/dev/null
		jq -e '.devices[0].ifname == "v1"' <<<"$l" >/dev/null
		# the interval the rates cover: about the 0.2 s asked for
		jq -e '.interval > 0.15 and .interval < 2' <<<"$l" >/dev/null
		# RFC 3339 UTC with milliseconds, that date(1) parses
		[[ "$(jq -r .time <<<"$l")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$ ]]
		date -d "$(jq -r .time <<<"$l")" +%s >/dev/null
	done
	t0=$(date -d "$(jq -r .time <<<"${lines[0]}")" +%s%3N)
	t1=$(date -d "$(jq -r .time <<<"${lines[1]}")" +%s%3N)
	[ $((t1 - t0)) -ge 150 ]
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

# Wait (bounded) until kernel.bpf_stats_enabled reads $1: another process
# holding BPF_ENABLE_STATS (a concurrent watch) turns it on for a while.
# The tests that use it hold host_lock bpf-stats: no other run of the suite
# turns the sysctl on meanwhile (exporter.bats does, under the same lock).
stats_sysctl_is() {
	local i
	for i in $(seq 50); do
		[ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "--watch counts program runs through BPF_ENABLE_STATS; kernel.bpf_stats_enabled is unchanged after" {
	local first last
	host_lock bpf-stats
	stats_sysctl_is 0 || skip "kernel.bpf_stats_enabled is on host-wide"
	ip netns exec "$NSA" ping -q -i 0.02 -c 100 10.77.0.2 >/dev/null 2>&1 3>&- &
	run xctl -j -N "$NSB" xdp stats v1 --watch 0.5 --count 3
	wait
	assert_status 0
	[ "${#lines[@]}" -eq 3 ]
	first=$(jq '.devices[0].xdp.prog.run_cnt' <<<"${lines[0]}")
	last=$(jq '.devices[0].xdp.prog.run_cnt' <<<"${lines[2]}")
	# counted although the sysctl is off: xctl held the stats fd
	[[ "$first" =~ ^[0-9]+$ ]]
	[ "$last" -gt "$first" ]
	jq -e '.devices[0].xdp.prog.rates.run_cnt > 0 and .devices[0].xdp.prog.ns_per_run > 0' \
		<<<"${lines[2]}"
	# the packets the program ran on are the packets the driver counted
	jq -e '.devices[0].rates.packets > 0' <<<"${lines[2]}"
	stats_sysctl_is 0
	# a plain stats read (no watch) does not turn statistics on
	run xctl -j -N "$NSB" xdp stats v1
	[ "$(jq '.[0].xdp.prog.run_cnt' <<<"$output")" = null ]
}

# run_cnt of v1's program as bpftool reports it (0 when never counted).
prog_runs() {
	bpftool -j prog show id "$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')" |
		jq '.run_cnt // 0'
}

@test "--watch ended by SIGTERM or SIGINT turns BPF statistics back off" {
	local sig pid r0 r1 r2
	host_lock bpf-stats
	stats_sysctl_is 0 || skip "kernel.bpf_stats_enabled is on host-wide"
	for sig in TERM INT; do
		"$XCTL_BIN" -N "$NSB" xdp stats v1 --watch 0.2 >"$TMPD/watch.$sig" 2>&1 3>&- &
		pid=$!
		sleep 0.5
		# while it watches, the kernel counts runs (bpftool sees them)
		r0=$(prog_runs)
		ip netns exec "$NSA" ping -q -i 0.02 -c 10 10.77.0.2 >/dev/null
		r1=$(prog_runs)
		[ "$r1" -ge $((r0 + 10)) ]
		kill -"$sig" "$pid"
		wait "$pid"
		# after: no longer counted (unless another process turned them on)
		if stats_sysctl_is 0; then
			ip netns exec "$NSA" ping -q -i 0.02 -c 10 10.77.0.2 >/dev/null
			r2=$(prog_runs)
			[ "$r2" -lt $((r1 + 10)) ] || pgrep -f 'xdp stats.*--watch' >/dev/null
		fi
		# piped: the banner once, then one block per interval with its time
		[ "$(grep -c 'xctl xdp stats --watch' "$TMPD/watch.$sig")" -eq 1 ]
		[ "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z  interval' "$TMPD/watch.$sig")" -ge 2 ]
	done
}

@test "--watch text: rates with units and grouped digits, totals beside them, per-queue rows" {
	local before after total
	before=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	run xctl -N "$NSB" xdp stats v1 --watch 0.3 --count 2 --queues
	after=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	assert_status 0
	# piped: the banner once, each interval with its time
	[ "$(grep -c 'xctl xdp stats --watch' <<<"$output")" -eq 1 ]
	[ "$(grep -cE '^[0-9-]{10}T[0-9:.]{12}Z  interval 0\.[0-9]{3}s$' <<<"$output")" -eq 2 ]
	# packets: a rate in pps and the total ethtool counts, digits grouped
	grep -E '^  packets +[0-9,]+ pps +[0-9,]+$' <<<"$output"
	total=$(grep -E '^  packets ' <<<"$output" | tail -n 1 | awk '{ print $4 }')
	[[ "$total" =~ ^[0-9]{1,3}(,[0-9]{3})*$ ]]
	total=${total//,/}
	[ "$total" -ge "$before" ] && [ "$total" -le "$after" ]
	grep -E '^  bytes +[0-9,]+ bit/s +[0-9,]+ bytes$' <<<"$output"
	# --queues: the veth's two rx queues, each with its own rates
	grep -E '^  rx queue 0$' <<<"$output"
	grep -E '^  rx queue 1$' <<<"$output"
	grep -E '^    packets +[0-9,]+ pps +[0-9,]+$' <<<"$output"
	grep -E '^  prog xdp_count \(id [0-9]+, native\)' <<<"$output"
}

@test "--watch follows devices: one removed leaves the watch running, one added appears" {
	local pid
	ip -n "$NSB" link add dummy7 type veth peer name dummy7p
	"$XCTL_BIN" -j -N "$NSB" xdp stats --all --watch 0.2 >"$TMPD/watch" 2>"$TMPD/watch.err" 3>&- &
	pid=$!
	sleep 0.8
	ip -n "$NSB" link del dummy7
	ip -n "$NSB" link add dummy8 type veth peer name dummy8p
	sleep 0.8
	kill -TERM "$pid"
	wait "$pid"
	# every line a document; dummy7 first there, then gone; dummy8 appears
	jq -e . "$TMPD/watch" >/dev/null
	head -n 1 "$TMPD/watch" | jq -e 'any(.devices[]; .ifname == "dummy7")'
	tail -n 1 "$TMPD/watch" | jq -e 'all(.devices[]; .ifname != "dummy7")'
	tail -n 1 "$TMPD/watch" | jq -e 'any(.devices[]; .ifname == "dummy8")'
	[ ! -s "$TMPD/watch.err" ]
	while read -r l; do
		record_json 0 "$l" -j xdp stats --all --watch 0.2
	done <"$TMPD/watch"
	# a device named on the command line may go away too
	ip -n "$NSB" link add dummy9 type veth peer name dummy9p
	"$XCTL_BIN" -j -N "$NSB" xdp stats dummy9 v1 --watch 0.2 >"$TMPD/watch2" 2>&1 3>&- &
	pid=$!
	sleep 0.7
	ip -n "$NSB" link del dummy9
	sleep 0.7
	kill -TERM "$pid"
	wait "$pid"
	tail -n 1 "$TMPD/watch2" | jq -e '[.devices[].ifname] == ["v1"]'
}
