#!/usr/bin/env bats
# xctl xdp attach loads whole objects as declared (issue 11): programs a
# statically initialised prog_array names, prog_arrays kept alive after xctl
# exits, maps sized by max_entries and pinned by name below the given
# bpffs, programs calling XDP RX metadata kfuncs bound to the device.
# Oracles: ping between two namespaces, bpftool (map dump, prog show), ip
# -j link, the private bpffs.
load helpers
bats_require_minimum_version 1.5.0

TAIL="$TESTS_BPF/xdp_tail.bpf.o"
HASH="$TESTS_BPF/xdp_rx_hash.bpf.o"

setup() {
	common_setup
	make_netns a >/dev/null
	make_netns b >/dev/null
	NS_A="xt-$UNIQ-a"
	NS_B="xt-$UNIQ-b"
	ip -n "$NS_A" link add va type veth peer name vb netns "$NS_B"
	ip -n "$NS_A" addr add 10.78.0.1/24 dev va
	ip -n "$NS_B" addr add 10.78.0.2/24 dev vb
	ip -n "$NS_A" link set va up
	ip -n "$NS_B" link set vb up
}

teardown() { common_teardown; }

xb() { xctl -N "$NS_B" "$@"; }
xa() { xctl -N "$NS_A" "$@"; }
ping_b() { ip netns exec "$NS_A" ping -c 2 -i 0.2 -W 1 10.78.0.2 >/dev/null; }
prog_id() { ip -n "$1" -j link show "$2" | jq -r '.[0].xdp.prog.id // empty'; }
# the u32 value of key 0 of the map pinned at $1 (bpftool prints bytes)
value0() {
	local hex
	hex=$(bpftool -j map lookup pinned "$1" key 0 0 0 0 |
		jq -r '.value | reverse | map(ltrimstr("0x")) | join("")')
	echo $((16#$hex))
}

@test "xdp attach: an entry tail-calling through a static prog_array keeps working after xctl exits" {
	run xb -j xdp attach vb "$TAIL" prog xt_entry
	assert_status 0
	assert_json
	[ "$(jq -r .prog.name <<<"$output")" = xt_entry ]
	# what the maps need is loaded; a program nothing names is not
	jq -e '.programs_loaded | index("xt_pass")' <<<"$output"
	! jq -e '.programs_loaded | index("xt_other")' <<<"$output"
	pin="$BPFFS/xctl/xdp-maps/vb/xt_jmp"
	[ "$(jq -r '.maps_pinned[] | select(.map == "xt_jmp") | .pinned' <<<"$output")" = "$pin" ]
	[ "$(jq -r '.maps_pinned[] | select(.map == "xt_hits") | .why' <<<"$output")" = pinned_by_name ]

	# xctl has exited: the prog_array still holds xt_pass (bpftool) ...
	[ "$(bpftool -j map dump pinned "$pin" | jq length)" -eq 1 ]
	pass_id=$(value0 "$pin")
	[ "$(bpftool -j prog show id "$pass_id" | jq -r .name)" = xt_pass ]
	# ... and traffic passes through the tail call
	ping_b
	# without the entry, the fallback (XDP_DROP) is what the entry does
	bpftool map delete pinned "$pin" key 0 0 0 0
	run ! ping_b

	run xb -j xdp detach vb
	assert_status 0
	assert_json
	[ "$(jq -r '.maps_removed | sort | join(",")' <<<"$output")" = xt_hits,xt_jmp ]
	[ "$(jq '.maps_shared | length' <<<"$output")" -eq 0 ]
	[ -z "$(prog_id "$NS_B" vb)" ]
	# nothing of the attachment is left pinned
	[ -z "$(find "$BPFFS/xctl" -type f)" ]
	[ ! -e "$BPFFS/xctl/xdp-maps/vb" ]
}

@test "xdp attach --replace: the new object's prog_array replaces the old one's pin" {
	run xb xdp attach vb "$TAIL" prog xt_entry
	assert_status 0
	old=$(bpftool -j map show pinned "$BPFFS/xctl/xdp-maps/vb/xt_jmp" | jq .id)
	run xb xdp attach vb "$TAIL" prog xt_entry --replace
	assert_status 0
	new=$(bpftool -j map show pinned "$BPFFS/xctl/xdp-maps/vb/xt_jmp" | jq .id)
	[ "$old" != "$new" ]
	ping_b
	# an object with no maps to keep: the directory goes
	run xb xdp attach vb "$TESTS_BPF/redir_pass.bpf.o" --replace
	assert_status 0
	[ ! -e "$BPFFS/xctl/xdp-maps/vb" ]
	ping_b
}

@test "xdp attach: a program calling bpf_xdp_metadata_rx_hash is loaded bound to the device" {
	run xa -j xdp attach va "$HASH"
	assert_status 0
	assert_json
	[ "$(jq -r .dev_bound <<<"$output")" = true ]
	id=$(prog_id "$NS_A" va)
	[ "$id" = "$(jq -r .prog.id <<<"$output")" ]
	ip netns exec "$NS_B" ping -c 2 -i 0.2 -W 1 10.78.0.1 >/dev/null
	# the program ran and called the kfunc (the verifier accepts that only
	# from a device-bound program): its counter map says so
	map=$(bpftool -j prog show id "$id" | jq '.map_ids[0]')
	run bpftool -j map lookup id "$map" key 0 0 0 0
	[ "$(jq '.formatted.value // .value' <<<"$output")" -ge 2 ]

	run xa -j xdp show va
	assert_status 0
	[ "$(jq '.[0].progs[0].dev_bound' <<<"$output")" = true ]
	run xa xdp show va
	[[ $output == *"xrh_prog"*"dev_bound"* ]]

	# device-bound programs run only in native mode
	run xa xdp attach va "$HASH" mode generic --replace
	assert_status 1
	[[ $output == *"device-bound"*"native mode"* ]]
	[ "$(prog_id "$NS_A" va)" = "$id" ]

	run xa -j xdp detach va
	assert_status 0
	[ -z "$(find "$BPFFS/xctl" -type f)" ]
}

@test "xdp attach dev_bound forces binding; a program a prog_array holds cannot be" {
	run xa -j xdp attach va "$TESTS_BPF/redir_pass.bpf.o" dev_bound
	assert_status 0
	[ "$(jq -r .dev_bound <<<"$output")" = true ]
	run xa -j xdp show va
	[ "$(jq '.[0].progs[0].dev_bound' <<<"$output")" = true ]
	run xa -j xdp attach va "$TESTS_BPF/redir_pass.bpf.o" --replace
	[ "$(jq -r .dev_bound <<<"$output")" = false ]
	run xa -j xdp show va
	[ "$(jq '.[0].progs[0].dev_bound' <<<"$output")" = false ]

	run xb xdp attach vb "$TAIL" prog xt_pass dev_bound
	assert_status 1
	[[ $output == *"cannot load xt_pass bound to the device"*"refuses device-bound programs in program maps"* ]]
	[ -z "$(prog_id "$NS_B" vb)" ]
	[ ! -e "$BPFFS/xctl/xdp/vb" ]
	[ ! -e "$BPFFS/xctl/xdp-maps/vb" ]
}

@test "xdp-maps/DEV a link out of the bpffs: attach with maps or dev_bound refuses, nothing pinned there" {
	mkdir -p "$TMPD/outside" "$BPFFS/xctl/xdp-maps"
	echo keep >"$TMPD/outside/file"
	ln -s "$TMPD/outside" "$BPFFS/xctl/xdp-maps/vb"
	ln -s "$TMPD/outside" "$BPFFS/xctl/xdp-maps/va"
	run xb xdp attach vb "$TAIL" prog xt_entry
	assert_status 1
	[[ $output == *"refusing to use $BPFFS/xctl/xdp-maps/vb"*"symbolic link"* ]]
	run xa xdp attach va "$TESTS_BPF/redir_pass.bpf.o" dev_bound
	assert_status 1
	[[ $output == *"refusing to use $BPFFS/xctl/xdp-maps/va"*"symbolic link"* ]]
	[ -z "$(prog_id "$NS_B" vb)" ]
	[ -z "$(prog_id "$NS_A" va)" ]
	[ ! -e "$BPFFS/xctl/xdp/vb" ]
	[ ! -e "$BPFFS/xctl/xdp/va" ]
	[ "$(ls "$TMPD/outside")" = file ]
	[ "$(cat "$TMPD/outside/file")" = keep ]
}

@test "xdp attach: max_entries and pin_root keywords; bad values are refused" {
	run xb xdp attach vb "$TAIL" prog xt_entry max_entries xt_hits=16
	assert_status 0
	id=$(bpftool -j prog show id "$(prog_id "$NS_B" vb)" | jq -c .map_ids)
	[ "$(for m in $(jq '.[]' <<<"$id"); do bpftool -j map show id "$m"; done |
	     jq -s '[.[] | select(.name == "xt_hits")][0].max_entries')" = 16 ]
	run xb xdp attach vb "$TAIL" prog xt_entry max_entries nosuch=4 --replace
	assert_status 1
	[[ $output == *"cannot size map nosuch"* ]]
	run xb xdp attach vb "$TAIL" max_entries xt_hits
	assert_status 2
	run xb xdp attach vb "$TAIL" pin_root "$TMPD" --replace
	assert_status 1
	[[ $output == *"not on a bpffs"* ]]
	# the first attachment is untouched by the failures
	ping_b
	[ -e "$BPFFS/xctl/xdp-maps/vb/xt_jmp" ]
}

@test "xdp attach pin_root: two attachments share a map pinned by name; detach leaves it and says so" {
	mkdir "$BPFFS/shared"
	run xb -j xdp attach vb "$TAIL" prog xt_entry pin_root "$BPFFS/shared"
	assert_status 0
	[ "$(jq -r '.maps_pinned[] | select(.map == "xt_hits") | .shared' <<<"$output")" = true ]
	[ -e "$BPFFS/shared/xt_hits" ]
	[ ! -e "$BPFFS/xctl/xdp-maps/vb/xt_hits" ]
	run xa -j xdp attach va "$TAIL" prog xt_entry pin_root "$BPFFS/shared"
	assert_status 0
	[ "$(jq -r '.maps_pinned[] | select(.map == "xt_hits") | .reused' <<<"$output")" = true ]
	ping_b
	# both programs count into the one map (bpftool): requests on vb,
	# replies on va, each through entry (0) and tail call (1)
	hits=$(bpftool -j map dump pinned "$BPFFS/shared/xt_hits" | jq '[.[].formatted.value] | add')
	[ "$hits" -ge 8 ]

	run xb -j xdp detach vb
	assert_status 0
	[ "$(jq -r '.maps_shared | join(",")' <<<"$output")" = xt_hits ]
	[ "$(jq -r '.maps_removed | join(",")' <<<"$output")" = xt_jmp ]
	[ -e "$BPFFS/shared/xt_hits" ]
	[ ! -e "$BPFFS/xctl/xdp-maps/vb" ]
	run xa -j xdp detach va
	assert_status 0
	[ -e "$BPFFS/shared/xt_hits" ]
}
