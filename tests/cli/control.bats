#!/usr/bin/env bats
# xctl control: control maps against the real kernel. Expected values come
# from bpftool, ip and ethtool, never from xctl.

load helpers

setup() {
	common_setup
}

# NS=$(make_netns x) runs make_netns in a subshell, so common_teardown's
# list misses those namespaces: remove every xt-$UNIQ-* here.
teardown() {
	local ns
	for ns in $(ip netns list | awk '{ print $1 }'); do
		[[ $ns == "xt-$UNIQ-"* ]] && ip netns del "$ns"
	done
	common_teardown
}

# Load the tiny XDP program pinned in the private bpffs as $BPFFS/$1 and
# print its id (teardown's unmount releases it).
load_prog() {
	bpftool prog load "$TESTS_BPF/ctl_xdp.bpf.o" "$BPFFS/$1" type xdp
	bpftool -j prog show pinned "$BPFFS/$1" | jq -e .id
}

# Two namespaces joined by a veth pair (veth0 in $NS1, veth1 in $NS2), IPv6
# off so that nothing but the test's own traffic crosses it.
make_pair() {
	NS1=$(make_netns a)
	NS2=$(make_netns b)
	ip netns exec "$NS1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$NS2" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$NS1" link add veth0 type veth peer name veth1 netns "$NS2"
	ip -n "$NS1" addr add 10.11.0.1/24 dev veth0
	ip -n "$NS2" addr add 10.11.0.2/24 dev veth1
	ip -n "$NS1" link set veth0 up
	ip -n "$NS2" link set veth1 up
}

# One rtnl_link_stats64 counter of DEV in NS as ip reports it.
ip_stat() {
	ip -n "$1" -s -j link show dev "$2" | jq -e ".[0].stats64.$3"
}

@test "control types lists every type with key, value type and operations" {
	run xctl -j control types
	assert_status 0
	assert_json
	for t in xdp netdev prog struct_ops ethtool; do
		echo "$output" | jq -e --arg t "$t" \
			'.[] | select(.name == $t) | .key_type and .value_type and .description and (.ops | index("lookup"))' >/dev/null
	done
	echo "$output" | jq -e '.[] | select(.name == "netdev") | .value_type == "struct rtnl_link_stats64"'
	echo "$output" | jq -e '.[] | select(.name == "prog") | (.ops | index("update")) == null'
	run xctl control types
	assert_status 0
	[[ ${lines[0]} == TYPE*KEY*VALUE*OPS*DESCRIPTION ]]
	run xctl control
	assert_status 0
	[[ ${lines[0]} == TYPE* ]]
}

@test "control lookup netdev equals ip -s -j link" {
	make_pair
	ip netns exec "$NS1" ping -q -c 5 -i 0.01 -W 2 10.11.0.2 >/dev/null
	declare -A before after
	for f in rx.packets rx.bytes tx.packets tx.bytes rx.dropped tx.dropped rx.errors; do
		before[$f]=$(ip_stat "$NS1" veth0 "$f")
	done
	run xctl -N "$NS1" -j control lookup netdev veth0
	assert_status 0
	assert_json
	for f in rx.packets rx.bytes tx.packets tx.bytes rx.dropped tx.dropped rx.errors; do
		after[$f]=$(ip_stat "$NS1" veth0 "$f")
	done
	v=$(echo "$output" | jq .value)
	[ "$(echo "$output" | jq .key.ifindex)" -eq "$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].ifindex')" ]
	[ "$(echo "$output" | jq -r .key.ifname)" = veth0 ]
	check() {	# xctl member, ip field: before <= xctl <= after
		local x; x=$(echo "$v" | jq -e ".$1")
		[ "$x" -ge "${before[$2]}" ] && [ "$x" -le "${after[$2]}" ] || {
			echo "$1=$x not in [${before[$2]}, ${after[$2]}]" >&2; return 1; }
	}
	check rx_packets rx.packets
	check rx_bytes rx.bytes
	check tx_packets tx.packets
	check tx_bytes tx.bytes
	check rx_dropped rx.dropped
	check tx_dropped tx.dropped
	check rx_errors rx.errors
	# the pings (and ARP) crossed it
	[ "$(echo "$v" | jq .tx_packets)" -ge 5 ]
	[ "$(echo "$v" | jq .rx_packets)" -ge 5 ]
	# by ifindex too, and as text
	idx=$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].ifindex')
	run xctl -N "$NS1" control lookup netdev ifindex "$idx"
	assert_status 0
	[[ $output == *"ifname: veth0"* ]]
	[[ $output == *"rx_packets: "* ]]
}

@test "control dump and getnext netdev walk the namespace's devices in ifindex order" {
	make_pair
	want=$(ip -n "$NS1" -j link show | jq -c '[.[].ifindex] | sort')
	run xctl -N "$NS1" -j control dump netdev
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq -c '[.[].key.ifindex]')" = "$want" ]
	echo "$output" | jq -e '.[] | select(.key.ifname == "lo") | .value | has("rx_otherhost_dropped")'
	first=$(echo "$want" | jq '.[0]')
	last=$(echo "$want" | jq '.[-1]')
	run xctl -N "$NS1" -j control getnext netdev
	assert_status 0
	[ "$(echo "$output" | jq .next_key.ifindex)" -eq "$first" ]
	run xctl -N "$NS1" -j control getnext netdev lo
	assert_status 0
	[ "$(echo "$output" | jq .next_key.ifindex)" -eq "$(echo "$want" | jq '.[1]')" ]
	[ "$(echo "$output" | jq -r .next_key.ifname)" = veth0 ]
	run xctl -N "$NS1" -j control getnext netdev ifindex "$last"
	assert_status 1
	assert_json
	[ "$(echo "$output" | jq .error.errno)" -eq 2 ]
	echo "$output" | jq -e '.error.message | contains("last key")'
}

@test "control btf netdev prints struct rtnl_link_stats64" {
	run xctl control btf netdev
	assert_status 0
	[[ $output == *"typedef __u32 xctl_ifindex_t;"* ]]
	[[ $output == *"struct rtnl_link_stats64 {"* ]]
	[[ $output == *"	__u64 rx_packets;"* ]]
	[[ $output == *"	__u64 tx_bytes;"* ]]
}

@test "control pin netdev is readable by bpftool with field names" {
	make_pair
	ip netns exec "$NS1" ping -q -c 3 -i 0.01 -W 2 10.11.0.2 >/dev/null
	idx=$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].ifindex')
	lo_before=$(ip_stat "$NS1" lo rx.packets)
	before=$(ip_stat "$NS1" veth0 rx.packets)
	run xctl -N "$NS1" -j control pin netdev "$BPFFS/netdev"
	assert_status 0
	assert_json
	after=$(ip_stat "$NS1" veth0 rx.packets)
	[ "$(echo "$output" | jq .entries)" -eq "$(ip -n "$NS1" -j link show | jq length)" ]
	run bpftool -j map dump pinned "$BPFFS/netdev"
	assert_status 0
	rx=$(echo "$output" | jq -e --argjson k "$idx" '.[] | select(.formatted.key == $k) | .formatted.value.rx_packets')
	[ "$rx" -ge "$before" ]
	[ "$rx" -le "$after" ]
	echo "$output" | jq -e --argjson k "$idx" '.[] | select(.formatted.key == $k) | .formatted.value | has("tx_bytes") and has("rx_otherhost_dropped")'
	echo "$output" | jq -e '.[] | select(.formatted.key == 1) | .formatted.value.rx_packets >= 0'
	run bpftool -j map show pinned "$BPFFS/netdev"
	echo "$output" | jq -e '.name == "xctl_netdev" and .type == "hash" and .bytes_key == 4'
	# refresh: new traffic shows up in the new snapshot
	ip netns exec "$NS1" ping -q -c 3 -i 0.01 -W 2 10.11.0.2 >/dev/null
	before=$(ip_stat "$NS1" veth0 rx.packets)
	run xctl -N "$NS1" -j control pin netdev "$BPFFS/netdev"
	assert_status 0
	echo "$output" | jq -e '.replaced == true'
	rx=$(bpftool -j map dump pinned "$BPFFS/netdev" | jq --argjson k "$idx" '.[] | select(.formatted.key == $k) | .formatted.value.rx_packets')
	[ "$rx" -ge "$before" ]
}

@test "control lookup xdp shows the attach mode and program ids ip reports" {
	make_pair
	id=$(load_prog p1)
	ip -n "$NS1" link set dev veth0 xdpdrv pinned "$BPFFS/p1"
	run xctl -N "$NS1" -j control lookup xdp veth0
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq .value.prog_id)" -eq "$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].xdp.prog.id')" ]
	[ "$(echo "$output" | jq .value.prog_id)" -eq "$id" ]
	[ "$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].xdp.mode')" -eq 1 ]
	echo "$output" | jq -e '.value.mode == "native" and .value.ifname == "veth0"'
	# no program in the other modes: null, not 0
	echo "$output" | jq -e '.value.skb_prog_id == null and .value.hw_prog_id == null'
	run xctl -N "$NS1" -j control lookup xdp lo
	assert_status 0
	# no program: the mode is null, not a placeholder such as "none"
	echo "$output" | jq -e '.value.mode == null and .value.prog_id == null'
	run xctl -N "$NS1" control btf xdp
	assert_status 0
	[[ $output == *"struct xctl_xdp_state {"* ]]
	[[ $output == *"struct xctl_xdp_update {"* ]]
	# pinned: ids as the kernel has them (0 = none) with field names
	run xctl -N "$NS1" control pin xdp "$BPFFS/xdpstate"
	assert_status 0
	idx=$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].ifindex')
	bpftool -j map dump pinned "$BPFFS/xdpstate" | jq -e --argjson k "$idx" --argjson id "$id" \
		'.[] | select(.formatted.key == $k) | .formatted.value.prog_id == $id and .formatted.value.mode == "native"'
}

@test "control update xdp sets up and tears down a redirect target" {
	make_pair
	# veth1 can be a redirect target while its peer has NAPI (an XDP program)
	load_prog p1 >/dev/null
	ip -n "$NS1" link set dev veth0 xdpdrv pinned "$BPFFS/p1"
	run xctl -N "$NS2" -j control update xdp veth1 command=setup_redirect
	assert_status 0
	assert_json
	echo "$output" | jq -e '.key.ifname == "veth1" and .update == ["command=setup_redirect"] and .result.ready == true'
	[ -e "$BPFFS/xctl/redirect/veth1" ]
	run xctl -N "$NS2" -j control update xdp veth1 command=setup_redirect
	assert_status 1
	assert_json
	run xctl -N "$NS2" -j control update xdp veth1 command=teardown_redirect
	assert_status 0
	assert_json
	[ ! -e "$BPFFS/xctl/redirect/veth1" ]
	run xctl -N "$NS2" control update xdp veth1 command=teardown_redirect
	assert_status 1
	# typed by the update struct's BTF
	run xctl -N "$NS2" -j control update xdp veth1 command=bogus
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.hint | contains("setup_redirect")'
	run xctl -N "$NS2" -j control update xdp veth1 rings.nosuch=1
	assert_status 1
	echo "$output" | jq -e '.error.message | contains("no member")'
	run xctl -N "$NS2" -j control update xdp veth1 command=setup_redirect rings.num=-1
	assert_status 1
	run xctl -N "$NS2" -j control update xdp veth1 rings.num=1
	assert_status 1
	echo "$output" | jq -e '.error.message | contains("no command given")'
	run xctl -N "$NS2" control update xdp veth1 command=teardown_redirect rings.size=64
	assert_status 1
	[ ! -e "$BPFFS/xctl/redirect/veth1" ]
	run xctl -N "$NS2" control update xdp nosuchdev0 command=setup_redirect
	assert_status 1
}

# ethtool -S of DEV in NS as {"name": value}.
ethtool_json() {
	ip netns exec "$1" ethtool -S "$2" | awk -F': ' 'NR > 1 { gsub(/^ +/, "", $1); printf "%s\t%s\n", $1, $2 }' |
		jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | tonumber)}) | add'
}

@test "control lookup ethtool equals ethtool -S, typed by BTF built from the driver's names" {
	make_pair
	load_prog p1 >/dev/null
	ip -n "$NS2" link set dev veth1 xdpdrv pinned "$BPFFS/p1"
	ip netns exec "$NS1" ping -q -c 4 -i 0.01 -W 2 10.11.0.2 >/dev/null
	before=$(ethtool_json "$NS2" veth1)
	run xctl -N "$NS2" -j control lookup ethtool veth1
	assert_status 0
	assert_json
	after=$(ethtool_json "$NS2" veth1)
	echo "$output" | jq -e '.value_type == "struct xctl_ethtool_veth" and .key.ifname == "veth1"'
	# same names in the same order, every value within [before, after]
	[ "$(echo "$output" | jq -c '.value | keys_unsorted')" = "$(echo "$before" | jq -c 'keys_unsorted')" ]
	jq -n -e --argjson x "$(echo "$output" | jq .value)" --argjson b "$before" --argjson a "$after" \
		'[$x | to_entries[] | .key as $k | .value >= $b[$k] and .value <= $a[$k]] | all'
	# the XDP program saw the pings
	[ "$(echo "$output" | jq .value.rx_queue_0_xdp_packets)" -ge 4 ]
	run xctl -N "$NS2" control btf ethtool veth1
	assert_status 0
	[[ $output == *"struct xctl_ethtool_veth {"* ]]
	[[ $output == *"	__u64 rx_queue_0_xdp_packets;"* ]]
}

@test "control ethtool: devices without driver statistics are not keys; pin with field names" {
	make_pair
	run xctl -N "$NS1" -j control dump ethtool
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq -c '[.[].key.ifname]')" = '["veth0"]' ]
	run xctl -N "$NS1" -j control lookup ethtool lo
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.message | contains("no statistics")'
	run xctl -N "$NS1" -j control getnext ethtool
	assert_status 0
	[ "$(echo "$output" | jq -r .next_key.ifname)" = veth0 ]
	run xctl -N "$NS1" control btf ethtool
	assert_status 2
	run xctl -N "$NS1" -j control pin ethtool "$BPFFS/eth"
	assert_status 0
	echo "$output" | jq -e '.entries == 1'
	idx=$(ip -n "$NS1" -j link show dev veth0 | jq '.[0].ifindex')
	peer=$(ethtool_json "$NS1" veth0 | jq .peer_ifindex)
	bpftool -j map dump pinned "$BPFFS/eth" | jq -e --argjson k "$idx" --argjson p "$peer" \
		'.[0].formatted.key == $k and .[0].formatted.value.peer_ifindex == $p and (.[0].formatted.value | has("tx_queue_0_xdp_xmit"))'
}

@test "control lookup prog shows the kernel's bpf_prog_info" {
	id=$(load_prog p1)
	run xctl -j control lookup prog id "$id"
	assert_status 0
	assert_json
	bt=$(bpftool -j prog show id "$id")
	[ "$(echo "$output" | jq .key.id)" -eq "$id" ]
	[ "$(echo "$output" | jq -r .key.name)" = "$(echo "$bt" | jq -r .name)" ]
	[ "$(echo "$output" | jq .value.id)" -eq "$id" ]
	[ "$(echo "$output" | jq -r .value.name)" = "$(echo "$bt" | jq -r .name)" ]
	[ "$(echo "$output" | jq .value.xlated_prog_len)" -eq "$(echo "$bt" | jq .bytes_xlated)" ]
	[ "$(echo "$output" | jq .value.jited_prog_len)" -eq "$(echo "$bt" | jq .bytes_jited)" ]
	# the tag, the type name and the pointers as bpftool shows them
	[ "$(echo "$output" | jq -r .value.tag)" = "$(echo "$bt" | jq -r .tag)" ]
	[ "$(echo "$output" | jq -r .value.type)" = "$(echo "$bt" | jq -r .type)" ]
	echo "$output" | jq -e '.value.map_ids == null and .value.jited_prog_insns == null'
	# verified_insns: not shown by this bpftool; a straight-line program is
	# verified once per instruction, 8 bytes each.
	[ "$(echo "$output" | jq .value.verified_insns)" -eq $(( $(echo "$bt" | jq .bytes_xlated) / 8 )) ]
	echo "$output" | jq -e '.value | has("attach_btf_obj_id") and has("recursion_misses")'
}

@test "control lookup prog by name and by pinned path" {
	id=$(load_prog p1)
	run xctl -j control lookup prog pinned "$BPFFS/p1"
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq .key.id)" -eq "$id" ]
	# `name` selects among every program of the host: a copy of
	# ctl_named.bpf.o whose program has a name of this test's own
	unique_sym "$TESTS_BPF/ctl_named.bpf.o" ctl_named_pass
	bpftool prog load "$UNIQ_OBJ" "$BPFFS/named" type xdp
	nid=$(bpftool -j prog show pinned "$BPFFS/named" | jq -e .id)
	[ "$(bpftool -j prog show id "$nid" | jq -r .name)" = "$UNIQ_SYM" ]
	run xctl -j control lookup prog name "$UNIQ_SYM"
	assert_status 0
	[ "$(echo "$output" | jq .key.id)" -eq "$nid" ]
	[ "$(echo "$output" | jq -r .value.name)" = "$UNIQ_SYM" ]
	run xctl control lookup prog id "$id"
	assert_status 0
	[[ $output == *"verified_insns: 2"* ]]
}

@test "control dump prog includes a loaded program" {
	id=$(load_prog p1)
	run xctl -j control dump prog
	assert_status 0
	assert_json
	echo "$output" | jq -e --argjson id "$id" '.[] | select(.key.id == $id) | .value.name == "ctl_pass"'
	# keys ascend
	echo "$output" | jq -e '[.[].key.id] as $k | $k == ($k | sort)'
}

@test "control getnext prog walks ids in ascending order" {
	id1=$(load_prog p1)
	id2=$(load_prog p2)
	[ "$id2" -gt "$id1" ]
	run xctl -j control getnext prog id "$id1"
	assert_status 0
	assert_json
	next=$(echo "$output" | jq .next_key.id)
	[ "$(echo "$output" | jq .key.id)" -eq "$id1" ]
	[ "$next" -gt "$id1" ]
	[ "$next" -le "$id2" ]
	run xctl -j control getnext prog
	assert_status 0
	[ "$(echo "$output" | jq .key)" = null ]
	[ "$(echo "$output" | jq .next_key.id)" -le "$id1" ]
	run xctl -j control getnext prog id 4294967295
	assert_status 1
	assert_json
	[ "$(echo "$output" | jq .error.errno)" -eq 2 ]
	run xctl control getnext prog id 4294967295
	assert_status 1
	[[ $output == *"it is the last key"* ]]
}

@test "control btf prog prints the kernel's struct bpf_prog_info" {
	run xctl control btf prog
	assert_status 0
	[[ $output == *"typedef __u32 xctl_prog_id_t;"* ]]
	[[ $output == *"struct bpf_prog_info {"* ]]
	[[ $output == *"verified_insns;"* ]]
	run xctl -j control btf prog
	assert_status 0
	assert_json
	echo "$output" | jq -e 'type == "string" and contains("struct bpf_prog_info {")'
}

@test "control pin prog is a BTF-described map bpftool can dump; pin again refreshes" {
	id=$(load_prog p1)
	run xctl -j control pin prog "$BPFFS/snap"
	assert_status 0
	assert_json
	echo "$output" | jq -e '.replaced == false and .entries >= 1'
	map1=$(echo "$output" | jq .map_id)
	run bpftool -j map dump pinned "$BPFFS/snap"
	assert_status 0
	echo "$output" | jq -e --argjson id "$id" \
		'.[] | select(.formatted.key == $id) | .formatted.value.name == "ctl_pass" and .formatted.value.id == $id and (.formatted.value | has("verified_insns"))'
	run xctl -j control pin prog "$BPFFS/snap"
	assert_status 0
	echo "$output" | jq -e '.replaced == true'
	[ "$(echo "$output" | jq .map_id)" -ne "$map1" ]
	[ "$(bpftool -j map show pinned "$BPFFS/snap" | jq .id)" -eq "$(echo "$output" | jq .map_id)" ]
	# no temporary pin left behind
	[ "$(ls "$BPFFS" | grep -c xctl_pin_tmp)" -eq 0 ]
}

@test "control pin refuses a path off bpffs and a foreign pin" {
	id=$(load_prog p1)
	run xctl -j control pin prog "$TMPD/snap"
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.message | contains("not on a bpffs")'
	[ ! -e "$TMPD/snap" ]
	run xctl control pin prog "$BPFFS/p1"
	assert_status 1
	[[ $output == *"something else is pinned there"* ]]
	# the program pin is untouched
	[ "$(bpftool -j prog show pinned "$BPFFS/p1" | jq .id)" -eq "$id" ]
	run xctl -j control pin prog "$BPFFS/a.b"
	assert_status 1
	echo "$output" | jq -e '.error.message | contains("does not allow")'
	run xctl control pin prog "$BPFFS/nodir/snap"
	assert_status 1
	run xctl control pin prog
	assert_status 2
	run xctl control pin prog "$BPFFS/a" extra
	assert_status 2
}

@test "control bad input: unknown type, malformed keys, missing objects" {
	run xctl -j control lookup nosuch id 1
	assert_status 2
	assert_json
	echo "$output" | jq -e '.error.message | contains("unknown control type")'
	run xctl -j control lookup prog id abc
	assert_status 2
	assert_json
	run xctl control lookup prog ident 3
	assert_status 2
	[[ $output == *"expected 'id N', 'name NAME' or 'pinned PATH'"* ]]
	run xctl control lookup prog id
	assert_status 2
	run xctl control lookup prog
	assert_status 2
	run xctl control lookup
	assert_status 2
	run xctl -j control lookup prog id 4294967294
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.message | contains("no BPF program with id")'
	run xctl control lookup prog name no_such_prog_x
	assert_status 1
	run xctl control lookup prog pinned "$BPFFS/nothing"
	assert_status 1
	run xctl control lookup prog id 1 extra
	assert_status 2
	run xctl control frobnicate
	assert_status 2
	run xctl control dump
	assert_status 2
	run xctl control dump prog extra
	assert_status 2
	run xctl -j control btf struct_ops
	assert_status 2
	assert_json
	ns=$(make_netns c)
	run xctl -N "$ns" -j control lookup netdev nosuchdev0
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.message | contains("nosuchdev0")'
	run xctl -N "$ns" control lookup netdev ifindex 4000
	assert_status 1
	run xctl -N "$ns" control lookup netdev ifindex abc
	assert_status 2
	run xctl -N "$ns" control lookup netdev ifindex
	assert_status 2
	run xctl -N "$ns" control lookup netdev "a-name-longer-than-ifnamsiz"
	assert_status 2
	run xctl -N "$ns" control getnext netdev nosuchdev0
	assert_status 1
}

@test "control update refuses read-only types" {
	run xctl -j control update netdev lo mtu=1000
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.message == "control type '"'"'netdev'"'"' is read-only: its values can be read, not changed"'
	id=$(load_prog p1)
	run xctl -j control update prog id "$id" name=x
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.message | contains("control type '"'"'prog'"'"' is read-only")'
	run xctl control update prog id "$id"
	assert_status 2
	run xctl control update prog id "$id" justaword
	assert_status 2
}

@test "control struct_ops: kernel value type per key, looked up by id, name and pin" {
	# Loaded, never registered: no congestion control appears host-wide.
	# libbpf turns dots of a pin path into '_' ($TMPD has one): pin relative.
	(cd "$BPFFS" && bpftool prog loadall "$TESTS_BPF/ctl_sops.bpf.o" sops_progs pinmaps sops_maps)
	id=$(bpftool -j map show pinned "$BPFFS/sops_maps/ctl_ca" | jq -e .id)
	run xctl -j control lookup struct_ops pinned "$BPFFS/sops_maps/ctl_ca"
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq .key.id)" -eq "$id" ]
	[ "$(echo "$output" | jq -r .key.name)" = ctl_ca ]
	[ "$(echo "$output" | jq -r .value_type)" = "struct bpf_struct_ops_tcp_congestion_ops" ]
	echo "$output" | jq -e '.value.common.state == "BPF_STRUCT_OPS_STATE_INIT"'
	echo "$output" | jq -e '.value.data | has("ssthresh") and has("cong_avoid") and has("name")'
	run xctl -j control dump struct_ops
	assert_status 0
	assert_json
	echo "$output" | jq -e --argjson id "$id" '.[] | select(.key.id == $id) | .value_type == "struct bpf_struct_ops_tcp_congestion_ops"'
	run xctl control btf struct_ops id "$id"
	assert_status 0
	[[ $output == *"struct bpf_struct_ops_tcp_congestion_ops {"* ]]
	[[ $output == *"struct tcp_congestion_ops {"* ]]
	# a program id is not a struct_ops map id
	pid=$(bpftool -j prog show pinned "$BPFFS/sops_progs/ctl_ssthresh" | jq -e .id)
	run xctl -j control lookup prog id "$pid"
	assert_status 0
	[ "$(echo "$output" | jq -r .value.type)" = "$(bpftool -j prog show id "$pid" | jq -r .type)" ]
	echo "$output" | jq -e '.value.type == "struct_ops"'
	run xctl -j control lookup struct_ops pinned "$BPFFS/sops_progs/ctl_ssthresh"
	assert_status 2
	assert_json
}

@test "control help" {
	run xctl control help
	assert_status 0
	[[ $output == *"xctl control pin TYPE PATH"* ]]
	run xctl -j control help
	assert_status 0
	assert_json
}

@test "control completion: update field paths and their enumerators from the type's BTF; live ids after id" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	local id
	make_pair
	run complete_words "$XCTL_BIN" -N "$NS1" control update xdp veth0 ""
	[ "$output" = "command= rings.num= rings.size=" ]
	run complete_words "$XCTL_BIN" -N "$NS1" control update xdp ifindex 2 command=setup_redirect rings.
	[ "$output" = "rings.num= rings.size=" ]
	run complete_words "$XCTL_BIN" -N "$NS1" control update xdp veth0 command=
	[ "$output" = "setup_redirect teardown_redirect" ]
	# the same members and enumerators as the type's C declaration
	run xctl control btf xdp
	[[ $output == *"setup_redirect = 1,"* && $output == *"teardown_redirect = 2,"* ]]
	[[ $output == *"struct xctl_xdp_rings rings;"* && $output == *"__u32 num;"* && $output == *"__u32 size;"* ]]
	# the key is still a device of the namespace
	run complete_words "$XCTL_BIN" -N "$NS1" control update xdp ""
	[[ " $output " == *" veth0 "* && " $output " == *" ifindex "* ]]
	# read-only types have no fields
	run complete_words "$XCTL_BIN" -N "$NS1" control update netdev veth0 ""
	[ -z "$output" ]
	# live ids after id: a program this test loaded is offered
	id=$(load_prog p1)
	run complete_words "$XCTL_BIN" control lookup prog id ""
	[[ " $output " == *" $id "* ]]
	run complete_words "$XCTL_BIN" control lookup prog id "$id"
	[[ " $output " == *" $id "* ]]
	bpftool prog show id "$id" >/dev/null
}
