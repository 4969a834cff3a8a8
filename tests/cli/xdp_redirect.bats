#!/usr/bin/env bats
# xctl xdp redirect {setup|show|teardown}: XDP redirect targets on a veth pair.
# Oracles: ethtool -l / -S (channel counts, tx_queue_N_xdp_xmit counters),
# ip -j link (XDP programs), bpftool (the pinned record). Traffic: a devmap
# redirect program run with BPF_PROG_TEST_RUN live frames
# (tests/tools/live_redirect.c, built here).
load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	cc -O2 -Wall -o "$BATS_FILE_TMPDIR/live_redirect" \
		"$BATS_TEST_DIRNAME/../tools/live_redirect.c" -lbpf
}

setup() {
	common_setup
	# Not in $(...): make_netns records the namespace for teardown.
	make_netns redir >/dev/null
	NS="xt-$UNIQ-redir"
	veth_pair va vb
}

# A veth pair $1 <-> $2 in $NS with 4 queues each way, up, GRO off.
veth_pair() {
	ip -n "$NS" link add "$1" numtxqueues 4 numrxqueues 4 type veth \
		peer name "$2" numtxqueues 4 numrxqueues 4
	ip -n "$NS" link set "$1" up
	ip -n "$NS" link set "$2" up
	ip netns exec "$NS" ethtool -K "$1" gro off
	ip netns exec "$NS" ethtool -K "$2" gro off
}

teardown() {
	# paused xctl-test runs and the commands racing them
	reap_pids
	if [ -n "${HIDDEN_NS:-}" ]; then
		umount "$HIDDEN_NS" 2>/dev/null || true
	fi
	# a second bpffs some tests mount (its pins go with it)
	if [ -n "${TMPD:-}" ] && mountpoint -q "$TMPD/other" 2>/dev/null; then
		umount "$TMPD/other" 2>/dev/null || umount -l "$TMPD/other"
	fi
	common_teardown
}

xn() { xctl -N "$NS" "$@"; }
PIDS=()

# Frames va has transmitted through XDP redirects (sum over its TX queues).
xmit_sum() {
	ip netns exec "$NS" ethtool -S va |
		awk '/tx_queue_[0-9]+_xdp_xmit:/ { s += $2 } END { print s + 0 }'
}

# Redirect $1 frames into va.
burst() {
	ip netns exec "$NS" "$BATS_FILE_TMPDIR/live_redirect" \
		"$TESTS_BPF/redir_devmap.bpf.o" va "$1"
}

# Current TX channel count of $1 (ethtool -l).
tx_channels() {
	ip netns exec "$NS" ethtool -l "$1" |
		awk '/Current hardware settings/ { c = 1 } c && /^TX:/ { print $2 }'
}

# Name of the XDP program on $1, or "none".
xdp_prog() {
	ip -n "$NS" -j link show "$1" | jq -r '.[0].xdp.prog.name // "none"'
}

@test "redirects into a veth whose peer has no NAPI are not transmitted; setup --rings 2 fixes it" {
	local before
	before=$(xmit_sum)
	burst 64
	[ "$(xmit_sum)" -eq "$before" ]

	run xn -j xdp redirect setup va --rings 2
	assert_status 0
	assert_json
	[ "$(jq -r .ready <<<"$output")" = true ]
	[ "$(tx_channels va)" -eq 2 ]
	[ "$(xdp_prog vb)" = xctl_pass ]
	[ "$(xdp_prog va)" = none ]

	before=$(xmit_sum)
	burst 64
	[ "$(xmit_sum)" -eq $((before + 64)) ]
}

@test "setup --rings 3 --size 128 on veth fails naming the ring size and changes nothing" {
	run xn -j xdp redirect setup va --rings 2
	assert_status 0
	run xn -j xdp redirect setup va --rings 3 --size 128
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == "ring size: veth does not support ring parameters"* ]]
	[ "$(tx_channels va)" -eq 2 ]

	# On a device that was never set up, too: nothing attached, nothing recorded.
	run xn -j xdp redirect setup vb --rings 3 --size 128
	assert_status 1
	[ "$(tx_channels vb)" -eq 4 ]
	[ "$(xdp_prog va)" = none ]
	[ ! -e "$BPFFS/xctl/redirect/vb" ]
}

@test "teardown restores the channel count, removes the helper, and redirects stop" {
	local before
	run xn -j xdp redirect setup va --rings 2
	assert_status 0
	run xn -j xdp redirect teardown va
	assert_status 0
	assert_json
	[ "$(jq -r '.restored[] | select(.what == "channels") | .to' <<<"$output")" = 4 ]
	[ "$(tx_channels va)" -eq 4 ]
	[ "$(xdp_prog vb)" = none ]
	[ ! -e "$BPFFS/xctl/redirect/va" ]

	before=$(xmit_sum)
	burst 32
	[ "$(xmit_sum)" -eq "$before" ]
}

@test "control update xdp ... command=setup_redirect has the same effect, and one record" {
	local before
	run xn -j control update xdp va command=setup_redirect rings.num=2 rings.size=128
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == "ring size: veth does not support ring parameters"* ]]
	[ "$(tx_channels va)" -eq 4 ]

	run xn -j control update xdp va command=setup_redirect rings.num=2
	assert_status 0
	assert_json
	[ "$(tx_channels va)" -eq 2 ]
	[ "$(xdp_prog vb)" = xctl_pass ]
	before=$(xmit_sum)
	burst 40
	[ "$(xmit_sum)" -eq $((before + 40)) ]

	# The same record: the xdp verb tears down what the control form set up.
	run xn -j xdp redirect teardown va
	assert_status 0
	[ "$(tx_channels va)" -eq 4 ]
	[ "$(xdp_prog vb)" = none ]
}

@test "--dry-run prints the plan and changes nothing" {
	run xn -j xdp redirect setup va --rings 2 --dry-run
	assert_status 0
	assert_json
	[ "$(jq -r .dry_run <<<"$output")" = true ]
	[ "$(jq -r '.plan[] | select(.what == "channels") | "\(.from)->\(.to)"' <<<"$output")" = "4->2" ]
	[ "$(jq -r '.plan[] | select(.what == "helper") | .ifname' <<<"$output")" = vb ]
	[ "$(tx_channels va)" -eq 4 ]
	[ "$(xdp_prog vb)" = none ]
	[ ! -e "$BPFFS/xctl/redirect/va" ]
}

@test "the record is pinned and BTF-described; teardown works from a later process" {
	run xn -j xdp redirect setup va --rings 3
	assert_status 0
	run bpftool -j map dump pinned "$BPFFS/xctl/redirect/va/state"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0].formatted.value.chan_prev // .[0].value.chan_prev' <<<"$output")" = 4 ]
	[ "$(jq -r '.[0].formatted.value.helper_ifname // .[0].value.helper_ifname' <<<"$output")" = vb ]
	[ -e "$BPFFS/xctl/redirect/va/link" ]
	run xn -j xdp redirect teardown va
	assert_status 0
	[ "$(tx_channels va)" -eq 4 ]
}

@test "show reports readiness, channels and the helper as the kernel sees them" {
	run xn -j xdp redirect show va
	assert_status 0
	assert_json
	[ "$(jq -r .ready <<<"$output")" = false ]
	[[ "$(jq -r .reason <<<"$output")" == *"vb has no NAPI"* ]]
	[ "$(jq -r .channels.current.tx <<<"$output")" = "$(tx_channels va)" ]
	[ "$(jq -r .rings <<<"$output")" = null ]
	[ "$(jq -r .helper <<<"$output")" = null ]

	run xn -j xdp redirect setup va --rings 2
	assert_status 0
	run xn -j xdp redirect show va
	assert_status 0
	[ "$(jq -r .ready <<<"$output")" = true ]
	[ "$(jq -r .channels.current.tx <<<"$output")" = 2 ]
	[ "$(jq -r .helper.ifname <<<"$output")" = vb ]
	[ "$(jq -r .helper.prog_id <<<"$output")" = \
	  "$(ip -n "$NS" -j link show vb | jq -r '.[0].xdp.prog.id')" ]

	run xn -j xdp redirect show --all
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].ifname] | sort | join(",")' <<<"$output")" = "lo,va,vb" ]
	run xn xdp redirect show
	assert_status 0
	[[ "$output" == *DEV*READY* ]]
}

@test "a veth whose peer has GRO on is already a target: setup attaches nothing" {
	ip netns exec "$NS" ethtool -K vb gro on
	run xn -j xdp redirect show va
	[ "$(jq -r .ready <<<"$output")" = true ]
	run xn -j xdp redirect setup va
	assert_status 0
	[ "$(jq -r '[.changes[] | select(.what == "helper")] | length' <<<"$output")" = 0 ]
	[ "$(xdp_prog vb)" = none ]
	run xn -j xdp redirect teardown va
	assert_status 0
}

@test "a device that cannot be a redirect target fails cleanly and changes nothing" {
	# loopback has no native XDP: the pass-through program cannot help it.
	run xn -j xdp redirect setup lo
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"lo"* ]]
	[ "$(xdp_prog lo)" = none ]
	[ ! -e "$BPFFS/xctl/redirect/lo" ]
}

# A veth pair vx (in $NS) / vy (in a second namespace, $NS2), GRO off.
make_cross_pair() {
	make_netns redir2 >/dev/null
	NS2="xt-$UNIQ-redir2"
	ip -n "$NS" link add vx numtxqueues 2 numrxqueues 2 type veth \
		peer name vy netns "$NS2" numtxqueues 2 numrxqueues 2
	ip -n "$NS" link set vx up
	ip -n "$NS2" link set vy up
	ip netns exec "$NS" ethtool -K vx gro off
	ip netns exec "$NS2" ethtool -K vy gro off
}

# XDP program name on vy in $NS2, or "none".
peer_prog() {
	ip -n "$NS2" -j link show vy | jq -r '.[0].xdp.prog.name // "none"'
}

xmit_sum_vx() {
	ip netns exec "$NS" ethtool -S vx |
		awk '/tx_queue_[0-9]+_xdp_xmit:/ { s += $2 } END { print s + 0 }'
}

burst_vx() {
	ip netns exec "$NS" "$BATS_FILE_TMPDIR/live_redirect" \
		"$TESTS_BPF/redir_devmap.bpf.o" vx "$1"
}

@test "a veth whose peer is in another namespace: setup attaches the helper there, teardown removes it" {
	local before nsid
	make_cross_pair
	nsid=$(ip -n "$NS" -j link show vx | jq -r '.[0].link_netnsid')
	[ -n "$nsid" ]
	[ "$nsid" != null ]
	before=$(xmit_sum_vx)
	burst_vx 32
	[ "$(xmit_sum_vx)" -eq "$before" ]

	run xn -j xdp redirect setup vx --rings 1
	assert_status 0
	assert_json
	[ "$(jq -r .ready <<<"$output")" = true ]
	[ "$(jq -r '.changes[] | select(.what == "helper") | "\(.ifname) \(.netnsid)"' <<<"$output")" = "vy $nsid" ]
	[ "$(peer_prog)" = xctl_pass ]
	[ "$(ip -n "$NS" -j link show vx | jq -r '.[0].xdp.prog.name // "none"')" = none ]
	[ "$(tx_channels vx)" -eq 1 ]
	before=$(xmit_sum_vx)
	burst_vx 32
	[ "$(xmit_sum_vx)" -eq $((before + 32)) ]

	run xn -j xdp redirect show vx
	assert_status 0
	assert_json
	[ "$(jq -r '.helper.ifname' <<<"$output")" = vy ]
	[ "$(jq -r '.helper.netnsid' <<<"$output")" = "$nsid" ]
	[ "$(jq -r '.helper.prog_id' <<<"$output")" = \
	  "$(ip -n "$NS2" -j link show vy | jq -r '.[0].xdp.prog.id')" ]

	# A later process, in vx's namespace only, detaches the peer's link.
	run xn -j xdp redirect teardown vx
	assert_status 0
	assert_json
	[ "$(peer_prog)" = none ]
	[ "$(tx_channels vx)" -eq 2 ]
	[ ! -e "$BPFFS/xctl/redirect/vx" ]
	before=$(xmit_sum_vx)
	burst_vx 32
	[ "$(xmit_sum_vx)" -eq "$before" ]
}

@test "control update xdp command=setup_redirect works with the peer in another namespace" {
	make_cross_pair
	run xn -j control update xdp vx command=setup_redirect
	assert_status 0
	assert_json
	[ "$(peer_prog)" = xctl_pass ]
	run xn -j xdp redirect teardown vx
	assert_status 0
	[ "$(peer_prog)" = none ]
}

@test "a veth peer in a namespace nobody names or holds: clear error with a hint, no change" {
	# The peer's namespace lives only as a bind mount outside /run/netns:
	# no process and no name reaches it.
	HIDDEN_NS="$BATS_TEST_TMPDIR/hidden-ns"
	touch "$HIDDEN_NS"
	unshare --net="$HIDDEN_NS" true
	ip -n "$NS" link add vx numtxqueues 2 numrxqueues 2 type veth \
		peer name vy netns "$HIDDEN_NS"
	ip -n "$NS" link set vx up
	[ "$(ip -n "$NS" -j link show vx | jq -r '.[0].link_netnsid')" != null ]
	run xn -j xdp redirect setup vx --rings 1
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == "helper: veth peer of vx: cannot find the network namespace"* ]]
	[ "$(jq -r .error.errno <<<"$output")" = 2 ]
	[[ "$(jq -r .error.hint <<<"$output")" == *"/run/netns"* ]]
	[ "$(tx_channels vx)" -eq 2 ]
	[ "$(nsenter --net="$HIDDEN_NS" ip -j link show vy | jq -r '.[0].xdp // "none"')" = none ]
	[ ! -e "$BPFFS/xctl/redirect/vx" ]
}

@test "without CAP_BPF/CAP_NET_ADMIN setup fails naming what is missing and changes nothing" {
	run ip netns exec "$NS" capsh --drop=cap_net_admin,cap_bpf,cap_sys_admin,cap_perfmon -- \
		-c "'$XCTL_BIN' --bpffs '$BPFFS' -j xdp redirect setup va --rings 2"
	assert_status 1
	assert_json
	record_json "$status" "$output" -j xdp redirect setup va --rings 2
	[ "$(jq -r .error.errno <<<"$output")" = 1 ]
	[[ "$(jq -r .error.hint <<<"$output")" == *CAP_* ]]
	[ "$(tx_channels va)" -eq 4 ]
	[ "$(xdp_prog vb)" = none ]
}

@test "setup twice is refused; the first setup stays intact" {
	run xn -j xdp redirect setup va --rings 2
	assert_status 0
	run xn -j xdp redirect setup va --rings 3
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"already set up"* ]]
	[ "$(tx_channels va)" -eq 2 ]
	[ "$(xdp_prog vb)" = xctl_pass ]
}

@test "bad input: exact exit codes, valid JSON, nothing changed" {
	run xn -j xdp redirect setup
	assert_status 2
	assert_json
	run xn -j xdp redirect setup nosuchdev0 --rings 2
	assert_status 1
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 19 ]
	run xn -j xdp redirect setup va --rings 0
	assert_status 2
	assert_json
	run xn -j xdp redirect setup va --rings 1000
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == rings:* ]]
	run xn -j xdp redirect setup va --rings 99999999999
	assert_status 2
	assert_json
	run xn -j xdp redirect setup va --rings two
	assert_status 2
	assert_json
	run xn -j xdp redirect setup va --size 12x
	assert_status 2
	assert_json
	run xn -j xdp redirect setup va --rings
	assert_status 2
	assert_json
	run xn -j xdp redirect setup va --frobnicate
	assert_status 2
	assert_json
	run xn -j xdp redirect teardown va
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"not set up"* ]]
	run xn -j xdp redirect teardown
	assert_status 2
	run xn -j xdp redirect show nosuchdev0
	assert_status 1
	assert_json
	run xn -j xdp redirect frob
	assert_status 2
	assert_json
	[ "$(tx_channels va)" -eq 4 ]
	[ "$(xdp_prog vb)" = none ]
	[ ! -e "$BPFFS/xctl/redirect/va" ]
}

# Fault injection for the per-device lock: setup and teardown racing on one
# device must never leave a helper program that no record names.
@test "concurrent setup and teardown of one device leave no orphaned helper" {
	local i j pids=()
	for j in 1 2 3 4; do
		(
			for i in $(seq 25); do
				if [ $((i % 2)) -eq $((j % 2)) ]; then
					"$XCTL_BIN" --bpffs "$BPFFS" -N "$NS" xdp redirect setup va --rings 2
				else
					"$XCTL_BIN" --bpffs "$BPFFS" -N "$NS" xdp redirect teardown va
				fi
			done >/dev/null 2>&1
		) &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || true; done
	# consistent whichever command came last: a helper exactly when a
	# complete record exists (an orphan is a helper with no record)
	if [ -e "$BPFFS/xctl/redirect/va/state" ]; then
		[ "$(xdp_prog vb)" != none ]
		[ -e "$BPFFS/xctl/redirect/va/link" ]
	else
		[ "$(xdp_prog vb)" = none ]
		[ ! -e "$BPFFS/xctl/redirect/va/link" ]
	fi
	if [ -e "$BPFFS/xctl/redirect/va" ]; then
		run -0 xn xdp redirect teardown va
	fi
	[ ! -e "$BPFFS/xctl/redirect/va" ]
	[ "$(xdp_prog vb)" = none ]
	[ "$(xdp_prog va)" = none ]
	[ "$(tx_channels va)" = 4 ]
}

@test "teardown removes a helper that its pin names when the record is gone" {
	run -0 xn xdp redirect setup va --rings 2
	[ "$(xdp_prog vb)" != none ]
	rm "$BPFFS/xctl/redirect/va/state"
	run -0 xn -j xdp redirect teardown va
	assert_json
	[ "$(jq -r '.orphaned_helper.pinned' <<<"$output")" = "$BPFFS/xctl/redirect/va/link" ]
	[ "$(jq -c '.restored' <<<"$output")" = "[]" ]
	[ "$(xdp_prog vb)" = none ]
	[ ! -e "$BPFFS/xctl/redirect/va" ]
	run -1 xn xdp redirect teardown va
	[[ "$output" == *"it was not set up by xctl"* ]]
}

@test "setup and teardown wait while another process holds the device's lock" {
	local ino idx lock start end
	ino=$(stat -L -c %i "/run/netns/$NS")
	idx=$(ip -n "$NS" -j link show va | jq -r '.[0].ifindex')
	lock="/run/xctl/dev-$ino-$idx.lock"
	mkdir -p /run/xctl
	flock "$lock" sleep 2 &
	sleep 0.3
	start=$(date +%s%N)
	run -0 xn xdp redirect setup va --rings 2
	end=$(date +%s%N)
	[ $(((end - start) / 1000000)) -ge 1500 ]
	wait
	flock "$lock" sleep 2 &
	sleep 0.3
	start=$(date +%s%N)
	run -0 xn xdp redirect teardown va
	end=$(date +%s%N)
	[ $(((end - start) / 1000000)) -ge 1500 ]
	wait
	[ "$(xdp_prog vb)" = none ]
}

# Deterministic interleavings of setup and teardown on one device, through
# the pause points of build/xctl-test (XCTL_TEST_PAUSE_AT, lib/core/
# test_hooks.h): one command stops itself (SIGSTOP) inside its critical
# section, holding the device's lock; the other must wait for it.

# Start "$XCTL_TEST_BIN ... xdp redirect ARGS" paused at $1: PAUSED holds its pid.
start_paused() {
	local at=$1
	shift
	XCTL_TEST_PAUSE_AT=$at "$XCTL_TEST_BIN" --bpffs "$BPFFS" -N "$NS" xdp redirect "$@" \
		>"$TMPD/paused.out" 2>&1 &
	PAUSED=$!
	PIDS+=("$PAUSED")
	wait_stopped "$PAUSED"
}

# Start "xctl ... xdp redirect ARGS" concurrently: OTHER holds its pid.
start_other() {
	"$XCTL_BIN" --bpffs "$BPFFS" -N "$NS" xdp redirect "$@" >"$TMPD/other.out" 2>&1 &
	OTHER=$!
	PIDS+=("$OTHER")
}

# The other command is still blocked after a second (on the lock: it has
# not changed anything), then the paused one continues; both succeed.
race_finish() {
	local early=0 prc=0 orc=0
	sleep 1
	kill -0 "$OTHER" 2>/dev/null || early=1
	kill -CONT "$PAUSED"
	wait "$PAUSED" || prc=$?
	wait "$OTHER" || orc=$?
	PIDS=()		# reaped: never signal a pid that may have been reused
	if [ $early = 1 ]; then
		echo "the concurrent command did not wait for the paused one:" >&2
		echo "it exited $orc: $(cat "$TMPD/other.out")" >&2
		echo "the paused one then exited $prc: $(cat "$TMPD/paused.out")" >&2
		return 1
	fi
	[ $prc = 0 ] || { echo "paused: exit $prc" >&2; cat "$TMPD/paused.out" >&2; return 1; }
	[ $orc = 0 ] || { echo "other: exit $orc" >&2; cat "$TMPD/other.out" >&2; return 1; }
}

@test "teardown waits for a setup paused inside its critical section; the end state is clean" {
	local at
	for at in redirect-setup:recorded redirect-setup:helper; do
		start_paused "$at" setup va --rings 2
		# the setup holds the lock half-way: record incomplete, and at
		# "helper" the channels set and the helper attached
		[ -e "$BPFFS/xctl/redirect/va/state" ]
		if [ "$at" = redirect-setup:helper ]; then
			[ "$(xdp_prog vb)" = xctl_pass ]
			[ "$(tx_channels va)" = 2 ]
		else
			[ "$(xdp_prog vb)" = none ]
			[ "$(tx_channels va)" = 4 ]
		fi
		start_other teardown va
		race_finish
		# setup completed, then teardown undid all of it
		[ "$(xdp_prog vb)" = none ]
		[ "$(xdp_prog va)" = none ]
		[ "$(tx_channels va)" = 4 ]
		[ ! -e "$BPFFS/xctl/redirect/va" ]
		run -1 xn xdp redirect teardown va
		[[ "$output" == *"it was not set up by xctl"* ]]
	done
}

@test "setup waits for a teardown paused inside its critical section; the end state is set up" {
	run -0 xn xdp redirect setup va --rings 2
	start_paused redirect-teardown:unpinned teardown va
	# the teardown holds the lock half-way: helper gone, record still there
	[ "$(xdp_prog vb)" = none ]
	[ -e "$BPFFS/xctl/redirect/va/state" ]
	start_other setup va --rings 2
	race_finish
	# teardown completed, then setup made a complete new one
	[ "$(xdp_prog vb)" = xctl_pass ]
	[ "$(tx_channels va)" = 2 ]
	[ -e "$BPFFS/xctl/redirect/va/link" ]
	[ "$(bpftool -j map dump pinned "$BPFFS/xctl/redirect/va/state" |
	     jq '.[0].formatted.value.complete')" = 1 ]
	run -0 xn xdp redirect teardown va
	[ "$(xdp_prog vb)" = none ]
	[ "$(tx_channels va)" = 4 ]
	[ ! -e "$BPFFS/xctl/redirect/va" ]
}

# xctl's tree is never followed through a link (issue 9): a symbolic link
# where redirect expects its directory, record or helper pin is refused,
# and what it points at stays as it was.

@test "redirect/DEV a link to a directory outside bpffs: setup, teardown and show refuse, change nothing" {
	mkdir -p "$TMPD/outside" "$BPFFS/xctl/redirect"
	echo keep >"$TMPD/outside/file"
	ln -s "$TMPD/outside" "$BPFFS/xctl/redirect/va"
	run -1 xn xdp redirect setup va --rings 2
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va: a component of it is a symbolic link"* ]]
	run -1 xn xdp redirect teardown va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va"* ]]
	run -1 xn xdp redirect show va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va"* ]]
	run -1 xn xdp redirect show
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va"* ]]
	run -1 xn xdp show
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va"* ]]
	[ "$(xdp_prog vb)" = none ]
	[ "$(tx_channels va)" = 4 ]
	[ "$(ls "$TMPD/outside")" = file ]
	[ "$(cat "$TMPD/outside/file")" = keep ]
}

@test "a foreign map at redirect/DEV/state is not taken for xctl's record: setup and teardown refuse" {
	mkdir -p "$BPFFS/xctl/redirect/va"
	bpftool map create "$BPFFS/xctl/redirect/va/state" type hash key 4 value 4 entries 1 name xt_fake
	run -1 xn xdp redirect setup va --rings 2
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/state: it is not xctl's redirect record"* ]]
	run -1 xn xdp redirect teardown va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/state: it is not xctl's redirect record"* ]]
	[ "$(xdp_prog vb)" = none ]
	[ "$(tx_channels va)" = 4 ]
	run -0 bpftool -j map show pinned "$BPFFS/xctl/redirect/va/state"
	[ "$(jq -r .name <<<"$output")" = xt_fake ]
}

@test "a link at redirect/DEV/state or /link to another bpffs's pins: teardown refuses, both setups stay" {
	local vb_id vd_id
	# a second pair set up in a second bpffs
	veth_pair vc vd
	mkdir "$TMPD/other"
	mount -t bpf bpf "$TMPD/other"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" -N "$NS" xdp redirect setup vc --rings 2
	vd_id=$(ip -n "$NS" -j link show vd | jq -r '.[0].xdp.prog.id')
	run -0 xn xdp redirect setup va --rings 2
	vb_id=$(ip -n "$NS" -j link show vb | jq -r '.[0].xdp.prog.id')
	# the record replaced by a link to the other bpffs's record of vc
	mv "$BPFFS/xctl/redirect/va/state" "$BPFFS/va-state"
	ln -s "$TMPD/other/xctl/redirect/vc/state" "$BPFFS/xctl/redirect/va/state"
	run -1 xn xdp redirect teardown va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/state: it is a symbolic link, not a pin"* ]]
	run -1 xn xdp redirect setup va --rings 2
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/state"* ]]
	run -1 xn xdp redirect show va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/state"* ]]
	rm "$BPFFS/xctl/redirect/va/state"
	mv "$BPFFS/va-state" "$BPFFS/xctl/redirect/va/state"
	# the helper pin replaced by a link to the other bpffs's helper of vd
	mv "$BPFFS/xctl/redirect/va/link" "$BPFFS/va-link"
	ln -s "$TMPD/other/xctl/redirect/vc/link" "$BPFFS/xctl/redirect/va/link"
	run -1 xn xdp redirect teardown va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/link: it is a symbolic link, not a pin"* ]]
	run -1 xn xdp redirect show va
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/link"* ]]
	run -1 xn xdp show
	[[ "$output" == *"refusing to use $BPFFS/xctl/redirect/va/link"* ]]
	# nothing changed: both helpers, both channel counts, the other's pins
	[ "$(ip -n "$NS" -j link show vb | jq -r '.[0].xdp.prog.id')" = "$vb_id" ]
	[ "$(ip -n "$NS" -j link show vd | jq -r '.[0].xdp.prog.id')" = "$vd_id" ]
	[ "$(tx_channels va)" = 2 ]
	[ "$(tx_channels vc)" = 2 ]
	[ -e "$TMPD/other/xctl/redirect/vc/state" ]
	[ -e "$TMPD/other/xctl/redirect/vc/link" ]
	[ -e "$BPFFS/xctl/redirect/va/state" ]
	# with the pin back, both tear down as usual
	rm "$BPFFS/xctl/redirect/va/link"
	mv "$BPFFS/va-link" "$BPFFS/xctl/redirect/va/link"
	run -0 xn xdp redirect teardown va
	[ "$(xdp_prog vb)" = none ]
	[ "$(tx_channels va)" = 4 ]
	[ "$(ip -n "$NS" -j link show vd | jq -r '.[0].xdp.prog.id')" = "$vd_id" ]
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" -N "$NS" xdp redirect teardown vc
	[ "$(xdp_prog vd)" = none ]
}
