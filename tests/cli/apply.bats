#!/usr/bin/env bats
# xctl apply: converge to the state declared in a private configuration
# directory, against the real kernel and a private bpffs. Oracles: the
# kernel's list of TCP congestion controls (/proc), bpftool (links, the
# module meta), ip -j link (XDP programs), ethtool -l (channels), the bpffs
# itself; never xctl's own output alone.

load helpers
bats_require_minimum_version 1.5.0

CC_OBJ="$EXAMPLES/cc.bpf.o"
MOD_OBJ="$TESTS_BPF/mod_cc.bpf.o"
XDP_OBJ="$EXAMPLES/xdp_count.bpf.o"
XDP_OBJ2="$TESTS_BPF/redir_pass.bpf.o"
AVAIL=/proc/sys/net/ipv4/tcp_available_congestion_control

setup() {
	common_setup
	CONF="$TMPD/conf"
	mkdir -p "$CONF/modules.d" "$CONF/xdp.d"
	A="a$UNIQ"
	B="b$UNIQ"
	CA_A="xa$UNIQ"
	CA_B="xb$UNIQ"
	PIDS=()
}

teardown() {
	reap_pids
	common_teardown
}

apply() {
	xctl apply --config "$CONF" "$@"
}

ca_registered() {
	grep -qw -- "$1" "$AVAIL"
}

# Wait (bounded) until the CA is gone: the kernel unregisters as the last
# link reference is dropped, after an RCU grace period that takes seconds on
# a busy host.
ca_gone() {
	local i
	for i in $(seq 150); do
		ca_registered "$1" || return 0
		sleep 0.1
	done
	echo "congestion control $1 still registered" >&2
	return 1
}

# The .flags of module $1's tcp_congestion_ops value, as bpftool dumps the
# map (its id from module list: bookworm's bpftool does not show the map of
# a struct_ops link).
ca_flags() {
	local id
	id=$(xctl -j module list | jq --arg n "$1" '.[] | select(.name == $n) | .struct_ops[0].map_id')
	bpftool struct_ops dump id "$id" | sed -n 's/^ *"flags": \([0-9]*\),\{0,1\}$/\1/p'
}

# The actions of the last `run apply -j` as "kind:name:action" lines.
actions() {
	jq -r '.actions[] | "\(.kind):\(.name):\(.action)"' <<<"$output"
}

# A veth pair va/vb (4 queues each) in a namespace of its own: $NS.
net_setup() {
	make_netns apply >/dev/null
	NS="xt-$UNIQ-apply"
	ip -n "$NS" link add va numtxqueues 4 numrxqueues 4 type veth \
		peer name vb numtxqueues 4 numrxqueues 4
	ip -n "$NS" link add vc type veth peer name vd
	local d
	for d in va vb vc vd; do
		ip -n "$NS" link set "$d" up
	done
}

xdp_prog() {
	ip -n "$NS" -j link show "$1" | jq -r '.[0].xdp.prog.name // "none"'
}

tx_channels() {
	ip netns exec "$NS" ethtool -l "$1" |
		awk '/Current hardware settings/ { c = 1 } c && /^TX:/ { print $2 }'
}

@test "apply loads a declared module; a second apply leaves everything unchanged" {
	cat > "$CONF/modules.d/10-cc.conf" <<-EOF
	# a congestion control for this host
	$CC_OBJ name $A ops_name $CA_A beta=717

	$CC_OBJ name $B ops_name $CA_B   # another
	EOF
	run apply -j
	assert_status 0
	assert_json
	[ "$(actions)" = "module:$A:load
module:$B:load" ]
	[ "$(jq -r '.actions[0].file' <<<"$output")" = "$CONF/modules.d/10-cc.conf" ]
	[ "$(jq -r '.actions[0].line, .actions[1].line' <<<"$output" | tr '\n' ' ')" = "2 4 " ]
	ca_registered "$CA_A"
	ca_registered "$CA_B"
	bpftool -j map dump pinned "$BPFFS/xctl/modules/$A/meta" | grep -q '"beta.*717'
	link=$(bpftool -j link show pinned "$BPFFS/xctl/modules/$A/xctl_cc" | jq .id)

	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$A:unchanged
module:$B:unchanged" ]
	[ "$(bpftool -j link show pinned "$BPFFS/xctl/modules/$A/xctl_cc" | jq .id)" = "$link" ]

	# text: one line per action
	run apply
	assert_status 0
	[ "$(grep -c unchanged <<<"$output")" -eq 2 ]
}

@test "apply reloads a module whose parameter changed, the CA present throughout" {
	echo "$CC_OBJ name $A ops_name $CA_A init_ssthresh=33" > "$CONF/modules.d/cc.conf"
	run apply
	assert_status 0
	link=$(bpftool -j link show pinned "$BPFFS/xctl/modules/$A/xctl_cc" | jq .id)

	sed -i 's/init_ssthresh=33/init_ssthresh=44/' "$CONF/modules.d/cc.conf"
	(
		n=0
		while [ ! -e "$TMPD/stop" ]; do
			ca_registered "$CA_A" || echo missing >> "$TMPD/gaps"
			n=$((n + 1))
			echo "$n" > "$TMPD/polls"
		done
	) 3>&- &
	PIDS+=($!)
	until [ -s "$TMPD/polls" ]; do sleep 0.02; done
	run apply -j
	touch "$TMPD/stop"
	wait "${PIDS[-1]}"
	assert_status 0
	[ ! -e "$TMPD/gaps" ]
	[ "$(cat "$TMPD/polls")" -gt 1 ]
	[ "$(actions)" = "module:$A:reload" ]
	jq -e '.actions[0].reason | test("parameters differ")' <<<"$output"
	# the same link, now running the new parameters
	[ "$(bpftool -j link show pinned "$BPFFS/xctl/modules/$A/xctl_cc" | jq .id)" = "$link" ]
	bpftool -j map dump pinned "$BPFFS/xctl/modules/$A/meta" | grep -q 'init_ssthresh.*44'

	# a new object (other bytes, same maps) reloads too
	cp "$CC_OBJ" "$TMPD/cc2.bpf.o"
	printf '\0' >> "$TMPD/cc2.bpf.o"
	echo "$TMPD/cc2.bpf.o name $A ops_name $CA_A init_ssthresh=44" > "$CONF/modules.d/cc.conf"
	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$A:reload" ]
	jq -e '.actions[0].reason | test("sha256 differs")' <<<"$output"
	sha=$(sha256sum "$TMPD/cc2.bpf.o" | cut -d' ' -f1)
	bpftool -j map dump pinned "$BPFFS/xctl/modules/$A/meta" | grep -q "$sha"
}

@test "apply follows the declared map selection and non_restricted flag" {
	local two="$TESTS_BPF/mod_two.bpf.o"
	echo "$two name $A map mod_two_a ops_name mod_two_a=$CA_A" > "$CONF/modules.d/two.conf"
	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$A:load" ]
	ca_registered "$CA_A"
	[ ! -e "$BPFFS/xctl/modules/$A/mod_two_b" ]
	run apply -j
	[ "$(actions)" = "module:$A:unchanged" ]

	# both maps now: the module is replaced (reload keeps the map set)
	echo "$two name $A ops_name mod_two_a=$CA_A ops_name mod_two_b=$CA_B" > "$CONF/modules.d/two.conf"
	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$A:reload" ]
	jq -e '.actions[0].reason | test("it has 1 struct_ops maps, the object 2")' <<<"$output"
	ca_registered "$CA_A"
	ca_registered "$CA_B"
	run apply -j
	[ "$(actions)" = "module:$A:unchanged" ]

	# non_restricted (ca_link.bpf.o does not set TCP_CONG_NON_RESTRICTED
	# itself): the flags of the registered value, as bpftool dumps them
	echo "$TESTS_BPF/ca_link.bpf.o name $B ops_name x$UNIQ" > "$CONF/modules.d/two.conf"
	run apply -j --prune
	assert_status 0
	[ "$(ca_flags "$B")" = 0 ]
	echo "$TESTS_BPF/ca_link.bpf.o name $B ops_name x$UNIQ non_restricted" > "$CONF/modules.d/two.conf"
	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$B:reload" ]
	jq -e '.actions[0].reason | test("is not non_restricted, declared non_restricted")' <<<"$output"
	[ "$(ca_flags "$B")" = 1 ]
	ca_registered "x$UNIQ"
	# and another network namespace may make it its default
	make_netns nr >/dev/null
	ip netns exec "xt-$UNIQ-nr" sysctl -qw "net.ipv4.tcp_congestion_control=x$UNIQ"
	ip netns exec "xt-$UNIQ-nr" sysctl -qw net.ipv4.tcp_congestion_control=reno
	run apply -j
	[ "$(actions)" = "module:$B:unchanged" ]
	# without it again (a reload keeps the flag: the module is loaded anew)
	echo "$TESTS_BPF/ca_link.bpf.o name $B ops_name x$UNIQ" > "$CONF/modules.d/two.conf"
	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$B:reload" ]
	jq -e '.actions[0].reason | test("is non_restricted, declared without")' <<<"$output"
	[ "$(ca_flags "$B")" = 0 ]
}

@test "apply --prune removes an undeclared module and nothing unmanaged" {
	echo "$CC_OBJ name $A ops_name $CA_A" > "$CONF/modules.d/cc.conf"
	run xctl module load "$CC_OBJ" name "$B" ops_name "$CA_B"
	assert_status 0
	# registered outside any module: unmanaged, never pruned
	run xctl struct_ops register "$MOD_OBJ" ops_name "xu$UNIQ"
	assert_status 0
	net_setup
	ip -n "$NS" link set dev vc xdpgeneric obj "$XDP_OBJ" sec xdp
	[ "$(xdp_prog vc)" = xdp_count ]

	run apply -j
	assert_status 0
	[ "$(actions)" = "module:$A:load" ]
	ca_registered "$CA_B"

	run apply -j --prune --dry-run
	assert_status 0
	[ "$(actions)" = "module:$B:unload
module:$A:unchanged" ]
	ca_registered "$CA_B"

	run xctl -N "$NS" -j apply --config "$CONF" --prune
	assert_status 0
	[ "$(actions)" = "module:$B:unload
module:$A:unchanged" ]
	[ "$(jq -r '.actions[0].reason' <<<"$output")" = "not declared" ]
	ca_gone "$CA_B"
	[ ! -e "$BPFFS/xctl/modules/$B" ]
	ca_registered "$CA_A"
	ca_registered "xu$UNIQ"
	[ "$(xdp_prog vc)" = xdp_count ]
}

@test "apply --dry-run prints the plan and changes nothing" {
	echo "$CC_OBJ name $A ops_name $CA_A beta=717" > "$CONF/modules.d/cc.conf"
	run apply -j --dry-run
	assert_status 0
	assert_json
	[ "$(jq .dry_run <<<"$output")" = true ]
	[ "$(actions)" = "module:$A:load" ]
	! ca_registered "$CA_A"
	[ ! -e "$BPFFS/xctl/modules/$A" ]

	run apply
	assert_status 0
	meta=$(bpftool -j map dump pinned "$BPFFS/xctl/modules/$A/meta")
	sed -i 's/beta=717/beta=718/' "$CONF/modules.d/cc.conf"
	run apply -j --dry-run
	assert_status 0
	[ "$(actions)" = "module:$A:reload" ]
	[ "$(bpftool -j map dump pinned "$BPFFS/xctl/modules/$A/meta")" = "$meta" ]
}

@test "apply restores modules, XDP attachments and redirect setups after a reboot" {
	net_setup
	echo "$CC_OBJ name $A ops_name $CA_A" > "$CONF/modules.d/cc.conf"
	cat > "$CONF/xdp.d/10-net.conf" <<-EOF
	attach vc $XDP_OBJ
	redirect setup va --rings 2
	EOF
	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	[ "$(actions)" = "module:$A:load
xdp:vc:attach
redirect:va:setup" ]
	[ "$(xdp_prog vc)" = xdp_count ]
	[ "$(xdp_prog vb)" = xctl_pass ]
	[ "$(tx_channels va)" -eq 2 ]
	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	[ "$(actions | grep -vc ':unchanged$')" -eq 0 ]

	# "reboot": every pin, link and registration goes with the bpffs; the
	# devices come back with their defaults
	umount "$BPFFS"
	mount -t bpf bpf "$BPFFS"
	ip netns exec "$NS" ethtool -L va tx 4
	ca_gone "$CA_A"
	[ "$(xdp_prog vc)" = none ]
	[ "$(xdp_prog vb)" = none ]

	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	[ "$(actions)" = "module:$A:load
xdp:vc:attach
redirect:va:setup" ]
	ca_registered "$CA_A"
	[ "$(xdp_prog vc)" = xdp_count ]
	[ "$(xdp_prog vb)" = xctl_pass ]
	[ "$(tx_channels va)" -eq 2 ]
}

@test "a link at apply/xdp/DEV (the attach record) is refused, never followed or replaced" {
	net_setup
	echo "attach vc $XDP_OBJ" > "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" apply --config "$CONF"
	assert_status 0
	id=$(ip -n "$NS" -j link show vc | jq '.[0].xdp.prog.id')
	mkdir "$TMPD/outside"
	echo keep >"$TMPD/outside/record"
	mv "$BPFFS/xctl/apply/xdp/vc" "$BPFFS/vc-record"
	ln -s "$TMPD/outside/record" "$BPFFS/xctl/apply/xdp/vc"
	run xctl -N "$NS" apply --config "$CONF"
	assert_status 1
	[[ "$output" == *"refusing to use $BPFFS/xctl/apply/xdp/vc: it is a symbolic link, not a pin"* ]]
	[ "$(cat "$TMPD/outside/record")" = keep ]
	[ -L "$BPFFS/xctl/apply/xdp/vc" ]
	[ "$(ip -n "$NS" -j link show vc | jq '.[0].xdp.prog.id')" = "$id" ]
}

@test "apply replaces an XDP program that changed, and redoes a redirect setup that drifted" {
	net_setup
	echo "attach vc $XDP_OBJ" > "$CONF/xdp.d/x.conf"
	echo "redirect setup va --rings 2" >> "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" apply --config "$CONF"
	assert_status 0
	link=$(bpftool -j link show pinned "$BPFFS/xctl/xdp/vc" | jq .id)

	# the declared object changes: the same link runs the new program
	echo "attach vc $XDP_OBJ2" > "$CONF/xdp.d/x.conf"
	echo "redirect setup va --rings 3" >> "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	[ "$(actions)" = "xdp:vc:attach
redirect:va:setup" ]
	jq -e '.actions[0].reason | test("sha256 differs")' <<<"$output"
	[ "$(xdp_prog vc)" = pass_a ]
	[ "$(bpftool -j link show pinned "$BPFFS/xctl/xdp/vc" | jq .id)" = "$link" ]
	[ "$(tx_channels va)" -eq 3 ]

	# another program of the object: attached in place of the first
	sed -i "s|^attach vc .*|attach vc $XDP_OBJ2 prog pass_b|" "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	[ "$(actions)" = "xdp:vc:attach
redirect:va:unchanged" ]
	jq -e '.actions[0].reason | test("^prog differs")' <<<"$output"
	[ "$(xdp_prog vc)" = pass_b ]
	# in an explicit mode: attached anew once, then replaced in place
	sed -i "s|^attach vc .*|attach vc $XDP_OBJ2 prog pass_b mode generic|" "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	jq -e '.actions[0].reason | test("^mode differs")' <<<"$output"
	[ "$(ip -n "$NS" -j link show vc | jq '.[0].xdp.mode')" = 2 ]
	link=$(bpftool -j link show pinned "$BPFFS/xctl/xdp/vc" | jq .id)
	sed -i "s|^attach vc .*|attach vc $XDP_OBJ2 prog pass_a mode generic|" "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" apply --config "$CONF"
	assert_status 0
	[ "$(xdp_prog vc)" = pass_a ]
	[ "$(ip -n "$NS" -j link show vc | jq '.[0].xdp.mode')" = 2 ]
	[ "$(bpftool -j link show pinned "$BPFFS/xctl/xdp/vc" | jq .id)" = "$link" ]
	sed -i "s|^attach vc .*|attach vc $XDP_OBJ2|" "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" apply --config "$CONF"
	assert_status 0
	[ "$(xdp_prog vc)" = pass_a ]
	link=$(bpftool -j link show pinned "$BPFFS/xctl/xdp/vc" | jq .id)

	# replaced by hand behind apply's back: apply puts the declared one back
	run xctl -N "$NS" xdp attach vc "$XDP_OBJ" --replace
	assert_status 0
	[ "$(xdp_prog vc)" = xdp_count ]
	ip netns exec "$NS" ethtool -L va tx 1
	run xctl -N "$NS" -j apply --config "$CONF"
	assert_status 0
	[ "$(actions)" = "xdp:vc:attach
redirect:va:setup" ]
	[ "$(xdp_prog vc)" = pass_a ]
	[ "$(tx_channels va)" -eq 3 ]
	run xctl -N "$NS" -j apply --config "$CONF" --prune
	assert_status 0
	[ "$(actions | grep -vc ':unchanged$')" -eq 0 ]

	# prune detaches what is no longer declared and tears down the setup
	: > "$CONF/xdp.d/x.conf"
	run xctl -N "$NS" -j apply --config "$CONF" --prune
	assert_status 0
	[ "$(actions)" = "xdp:vc:detach
redirect:va:teardown" ]
	[ "$(xdp_prog vc)" = none ]
	[ "$(xdp_prog vb)" = none ]
	# teardown restores what va had before the first setup
	[ "$(tx_channels va)" -eq 4 ]
}

@test "apply: a bad line is reported with file and line; the others are applied" {
	net_setup
	cat > "$CONF/modules.d/10-bad.conf" <<-EOF
	$TMPD/missing.bpf.o name m$UNIQ
	$CC_OBJ name $A ops_name $CA_A nosuch_param=1
	$CC_OBJ name c$UNIQ ops_name
	EOF
	cat > "$CONF/modules.d/20-good.conf" <<-EOF
	$CC_OBJ name $B ops_name $CA_B
	$CC_OBJ name $B ops_name $CA_B
	EOF
	cat > "$CONF/xdp.d/10.conf" <<-EOF
	detach vc
	attach nx$UNIQ $XDP_OBJ
	attach vc $XDP_OBJ mode sideways
	attach vd $XDP_OBJ
	EOF
	run --separate-stderr xctl -N "$NS" -j apply --config "$CONF" --prune
	assert_status 1
	assert_json
	[[ $stderr == *"not pruning module declarations"* ]]
	where() { jq -r --argjson i "$1" '.actions[$i] | "\(.file | split("/") | .[-1]):\(.line)"' <<<"$output"; }
	msg() { jq -r --argjson i "$1" '.actions[$i].error.message' <<<"$output"; }
	[ "$(where 0)" = "10-bad.conf:1" ]
	[[ $(msg 0) == *"missing.bpf.o: No such file or directory"* ]]
	[ "$(where 1)" = "10-bad.conf:2" ]
	[[ $(msg 1) == *"unknown parameter 'nosuch_param'"* ]]
	[ "$(where 2)" = "10-bad.conf:3" ]
	[[ $(msg 2) == *"missing argument after 'ops_name'"* ]]
	[ "$(where 3)" = "20-good.conf:1" ]
	[ "$(msg 3)" = null ]
	[ "$(where 4)" = "20-good.conf:2" ]
	[[ $(msg 4) == *"declared twice: first at $CONF/modules.d/20-good.conf:1"* ]]
	[ "$(where 5)" = "10.conf:1" ]
	[[ $(msg 5) == *"holds 'attach DEV OBJ ...' or 'redirect setup DEV ...'"* ]]
	[[ $(msg 6) == *"cannot find device 'nx$UNIQ'"* ]]
	[[ $(msg 7) == *"invalid mode 'sideways'"* ]]
	[ "$(msg 8)" = null ]
	[ "$(jq '.actions | length' <<<"$output")" -eq 9 ]
	# the good lines took effect, the bad ones nothing
	ca_registered "$CA_B"
	! ca_registered "$CA_A"
	[ "$(xdp_prog vd)" = xdp_count ]
	[ "$(xdp_prog vc)" = none ]
	# an unreadable module line blocks pruning modules, not the rest
	run xctl -N "$NS" apply --config "$CONF" --prune
	assert_status 1
	[[ $output == *"not pruning module declarations"* ]]
	[[ $output == *"10-bad.conf:3"*"failed: missing argument after 'ops_name'"* ]]
	[[ $output == *"xctl: error: 7 declarations failed"* ]]
}

@test "apply: a missing configuration directory is an error and nothing is pruned" {
	run xctl module load "$CC_OBJ" name "$A" ops_name "$CA_A"
	assert_status 0
	run xctl apply --config "$TMPD/nosuch" --prune
	assert_status 1
	[[ $output == *"cannot read configuration directory $TMPD/nosuch: No such file or directory"* ]]
	ca_registered "$CA_A"
	run xctl -j apply --config "$TMPD/nosuch"
	assert_status 1
	assert_json
	jq -e '.error.errno == 2' <<<"$output"
	run xctl apply --bogus
	assert_status 2
	run xctl apply --config
	assert_status 2
	# an empty directory declares nothing
	run xctl -j apply --config "$CONF"
	assert_status 0
	[ "$(jq '.actions | length' <<<"$output")" -eq 0 ]
}

@test "apply: two concurrent applies do not interleave" {
	cat > "$CONF/modules.d/cc.conf" <<-EOF
	$CC_OBJ name $A ops_name $CA_A
	$MOD_OBJ name $B ops_name $CA_B
	EOF
	# the first stops inside its second load, holding the lock
	XCTL_TEST_PAUSE_AT=registered:mod_cc "$XCTL_TEST_BIN" --bpffs "$BPFFS" -j apply \
		--config "$CONF" > "$TMPD/one" 2>/dev/null 3>&- &
	p1=$!
	PIDS+=($p1)
	wait_stopped "$p1"
	"$XCTL_BIN" --bpffs "$BPFFS" -j apply --config "$CONF" > "$TMPD/two" 2>"$TMPD/two.err" 3>&- &
	p2=$!
	PIDS+=($p2)
	for i in $(seq 50); do
		grep -q "waiting for another xctl apply" "$TMPD/two.err" && break
		sleep 0.05
	done
	grep -q "waiting for another xctl apply" "$TMPD/two.err"
	sleep 0.3
	kill -0 "$p2"		# still waiting, not interleaving
	[ ! -s "$TMPD/two" ]
	kill -CONT "$p1"
	wait "$p1"
	wait "$p2"
	[ "$(jq -r '[.actions[].action] | join(",")' "$TMPD/one")" = "load,load" ]
	[ "$(jq -r '[.actions[].action] | join(",")' "$TMPD/two")" = "unchanged,unchanged" ]
	# and two started together both succeed, one after the other
	"$XCTL_BIN" --bpffs "$BPFFS" -j apply --config "$CONF" > "$TMPD/one" 2>/dev/null 3>&- &
	p1=$!
	"$XCTL_BIN" --bpffs "$BPFFS" -j apply --config "$CONF" > "$TMPD/two" 2>/dev/null 3>&- &
	p2=$!
	wait "$p1"
	wait "$p2"
	# neither failed on the other (a load racing a load fails "being loaded")
	jq -e '[.actions[].error] | all(. == null)' "$TMPD/one"
	jq -e '[.actions[].error] | all(. == null)' "$TMPD/two"
	[ "$(jq -r '[.actions[].action] | unique | join(",")' "$TMPD/one" "$TMPD/two" | sort -u)" = unchanged ]
	ca_registered "$CA_A"
	ca_registered "$CA_B"
	[ -e "$BPFFS/xctl/modules/$A/meta" ]
	[ -e "$BPFFS/xctl/modules/$B/meta" ]
}

@test "apply killed midway leaves a consistent state; the next apply converges" {
	local step pid st i state n=0
	for step in reserved registered:xctl_cc meta registered:mod_cc pinned:mod_cc; do
		# fresh names each round: no waiting for the last round's CAs to go
		n=$((n + 1))
		A="a$UNIQ$n" B="b$UNIQ$n" CA_A="xa$UNIQ$n" CA_B="xb$UNIQ$n"
		cat > "$CONF/modules.d/cc.conf" <<-EOF
		$CC_OBJ name $A ops_name $CA_A
		$MOD_OBJ name $B ops_name $CA_B
		EOF
		XCTL_TEST_PAUSE_AT=$step "$XCTL_TEST_BIN" --bpffs "$BPFFS" apply --config "$CONF" \
			>/dev/null 2>&1 3>&- &
		pid=$!
		PIDS+=($pid)
		wait_stopped "$pid" || { echo "apply did not stop at $step" >&2; return 1; }
		kill -9 "$pid"
		wait "$pid" 2>/dev/null || true

		# what list reports is consistent: complete modules have meta,
		# the one being loaded is incomplete, the rest absent
		run xctl -j module list
		assert_status 0
		assert_json
		for m in "$A" "$B"; do
			state=$(jq -r --arg n "$m" '.[] | select(.name == $n) | .state' <<<"$output")
			case $state in
			loaded) [ -e "$BPFFS/xctl/modules/$m/meta" ] ;;
			incomplete) [ ! -e "$BPFFS/xctl/modules/$m/meta" ] ;;
			"") [ ! -e "$BPFFS/xctl/modules/$m" ] ;;
			*) echo "module $m is $state after a kill at $step" >&2; return 1 ;;
			esac
		done
		case $step in
		*:mod_cc)
			[ "$(jq -r --arg n "$B" '.[] | select(.name == $n) | .state' <<<"$output")" = incomplete ]
			[ "$(jq -r --arg n "$A" '.[] | select(.name == $n) | .state' <<<"$output")" = loaded ] ;;
		esac

		# the lock died with the process; the next apply converges
		run xctl -j apply --config "$CONF"
		assert_status 0
		jq -e '[.actions[].error] | all(. == null)' <<<"$output"
		[ -e "$BPFFS/xctl/modules/$A/meta" ]
		[ -e "$BPFFS/xctl/modules/$B/meta" ]
		ca_registered "$CA_A"
		ca_registered "$CA_B"
		run xctl -j apply --config "$CONF"
		assert_status 0
		[ "$(actions | grep -vc ':unchanged$')" -eq 0 ]
	done
}

@test "apply completion: options and directories" {
	run complete_words "$XCTL_BIN" apply --
	[ "$output" = "--config --dry-run --prune" ]
	run complete_words "$XCTL_BIN" ap
	[ "$output" = "apply" ]
	run complete_words "$XCTL_BIN" apply --config "$BATS_TEST_DIRNAME/../cl"
	[ "$output" = "$BATS_TEST_DIRNAME/../cli" ]
}
