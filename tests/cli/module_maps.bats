#!/usr/bin/env bats
# xctl module: what the object declares about its maps (issue 11): sizes
# left to the loader, LIBBPF_PIN_BY_NAME maps pinned under the module's
# directory or a shared pin_root, reuse checks. Oracles: bpftool (map show,
# map dump pinned), `ss -ti`, /proc and the private bpffs itself.

load helpers
load tcp_helpers

OBJ="$TESTS_BPF/mod_maps.bpf.o"
AVAIL=/proc/sys/net/ipv4/tcp_available_congestion_control

setup() {
	common_setup
	NAME="mm$UNIQ"
	CA="xm$UNIQ"
	PIDS=()
	# a size no other test run uses
	SEEN=$((1000 + RANDOM))
}

teardown() {
	reap_pids
	common_teardown
}

# load_mm NAME CA [ARGS...]: the object with mm_seen sized
load_mm() {
	xctl module load "$OBJ" name "$1" ops_name "$2" max_entries "mm_seen=$SEEN" "${@:3}"
}

# value of u32 key $2 of the BTF-described map pinned at $1 (bpftool)
pinned_value() {
	bpftool -j map lookup pinned "$1" key $2 0 0 0 | jq '.formatted.value'
}

@test "module load: an unsized map is refused without max_entries and sized with it" {
	run xctl module load "$OBJ" name "$NAME" ops_name "$CA"
	assert_status 1
	[[ $output == *"map mm_seen has no max_entries"* ]]
	[[ $output == *"max_entries mm_seen=N"* ]]
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	! grep -qw -- "$CA" "$AVAIL"

	run load_mm "$NAME" "$CA"
	assert_status 0
	grep -qw -- "$CA" "$AVAIL"
	# the kernel has an mm_seen map of exactly that (unique) size
	run bpftool -j map show
	[ "$(jq --argjson n "$SEEN" '[.[] | select(.name == "mm_seen" and .max_entries == $n)] | length' <<<"$output")" -ge 1 ]

	run xctl module load "$OBJ" name "${NAME}b" ops_name "${CA}b" max_entries nosuch=4
	assert_status 1
	[[ $output == *"cannot size map nosuch"* ]]
	[[ $output == *"mm_stats"*"mm_seen"* ]]
	run xctl module load "$OBJ" name "${NAME}b" ops_name "${CA}b" max_entries mm_seen=0
	assert_status 1
	[[ $output == *"invalid 'max_entries mm_seen=0'"* ]]
	run xctl module load "$OBJ" name "${NAME}b" ops_name "${CA}b" max_entries mm_seen
	assert_status 2
	[ ! -e "$BPFFS/xctl/modules/${NAME}b" ]
}

@test "module load: a LIBBPF_PIN_BY_NAME map is pinned in the module's maps/, updated by the CA, removed by unload" {
	run load_mm "$NAME" "$CA" weight=5
	assert_status 0
	pin="$BPFFS/xctl/modules/$NAME/maps/mm_stats"
	[ -e "$pin" ]
	# not libbpf's default pin root
	[ ! -e "/sys/fs/bpf/mm_stats" ] || ! bpftool -j map show pinned /sys/fs/bpf/mm_stats |
		jq -e --argjson id "$(bpftool -j map show pinned "$pin" | jq .id)" '.id == $id'
	[ "$(bpftool -j map show pinned "$pin" | jq -r .type)" = array ]
	[ "$(pinned_value "$pin" 0)" -eq 0 ]

	net_setup
	connect "$CA" c1
	[[ $(ss_info c1) == *"$CA"* ]]
	# the running CA's init added weight (5) for the new connection
	[ "$(pinned_value "$pin" 0)" -eq 5 ]
	connect "$CA" c2
	[ "$(pinned_value "$pin" 0)" -eq 10 ]

	run xctl -j module unload "$NAME" --force
	assert_status 0
	assert_json
	jq -e '.maps_removed | index("mm_stats")' <<<"$output"
	[ "$(jq '.maps_shared | length' <<<"$output")" -eq 0 ]
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
}

@test "module load: two modules share a map through pin_root; a mismatching declaration is refused" {
	mkdir "$BPFFS/shared"
	run load_mm "$NAME" "$CA" pin_root "$BPFFS/shared"
	assert_status 0
	[ -e "$BPFFS/shared/mm_stats" ]
	[ ! -e "$BPFFS/xctl/modules/$NAME/maps/mm_stats" ]
	id=$(bpftool -j map show pinned "$BPFFS/shared/mm_stats" | jq .id)

	run load_mm "${NAME}b" "${CA}b" pin_root "$BPFFS/shared" weight=3
	assert_status 0
	net_setup
	connect "$CA" c1
	connect "${CA}b" c2
	# both CAs count into the one shared map: 1 + 3
	[ "$(pinned_value "$BPFFS/shared/mm_stats" 0)" -eq 4 ]
	[ "$(bpftool -j map show pinned "$BPFFS/shared/mm_stats" | jq .id)" = "$id" ]

	# same name, other size: refused naming the difference; nothing loaded
	run load_mm "${NAME}c" "${CA}c" pin_root "$BPFFS/shared" max_entries mm_stats=8
	assert_status 1
	[[ $output == *"cannot reuse the map pinned at $BPFFS/shared/mm_stats"* ]]
	[[ $output == *"max_entries 4, the object declares 8"* ]]
	[ ! -e "$BPFFS/xctl/modules/${NAME}c" ]
	! grep -qw -- "${CA}c" "$AVAIL"

	# unload leaves the shared pin and says so
	run xctl -j module unload "$NAME" --force
	assert_status 0
	[ "$(jq -r '.maps_shared[0].pinned' <<<"$output")" = "$BPFFS/shared/mm_stats" ]
	[ -e "$BPFFS/shared/mm_stats" ]
	run xctl module unload "${NAME}b" --force
	assert_status 0
	[[ $output == *"left the maps it shares"* ]]
	[ -e "$BPFFS/shared/mm_stats" ]
}

@test "module load: pin_root must be a directory of the given bpffs" {
	run load_mm "$NAME" "$CA" pin_root "$TMPD"
	assert_status 1
	[[ $output == *"cannot use pin_root $TMPD"*"not on a bpffs"* ]]
	run load_mm "$NAME" "$CA" pin_root "$BPFFS/nosuch"
	assert_status 1
	[[ $output == *"mkdir $BPFFS/nosuch"* ]]
	other="$TMPD/other"
	mkdir "$other"
	mount -t bpf bpf "$other"
	run load_mm "$NAME" "$CA" pin_root "$other"
	umount "$other"
	assert_status 1
	[[ $output == *"outside the bpffs $BPFFS"* ]]
	run load_mm "$NAME" "$CA" pin_root
	assert_status 2
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	! grep -qw -- "$CA" "$AVAIL"
}

@test "module info: maps, parameters (const volatile only) and runtime globals, of the object and of the loaded module" {
	run xctl -j module info "$OBJ"
	assert_status 0
	assert_json
	[ "$(jq -r '[.parameters[].name] | join(",")' <<<"$output")" = weight ]
	# a plain const global is folded into the code: not a parameter
	! jq -e '.parameters[] | select(.name == "stats_slot")' <<<"$output"
	[ "$(jq -r '.globals[] | select(.name == "init_ssthresh") | .section' <<<"$output")" = .data ]
	[ "$(jq -r '.globals[] | select(.name == "inits") | .section' <<<"$output")" = .bss ]
	m=$(jq -c '.maps[] | select(.name == "mm_stats")' <<<"$output")
	[ "$(jq -r '[.type, .key_type, .value_type, .max_entries, .pinning] | join(" ")' <<<"$m")" = \
	  "array __u32 __u64 4 by_name" ]
	[ "$(jq -r '.maps[] | select(.name == "mm_seen") | .max_entries' <<<"$output")" = null ]

	run load_mm "$NAME" "$CA"
	assert_status 0
	run xctl -j module info "$NAME"
	assert_status 0
	assert_json
	# sizes in effect and ids agree with bpftool
	m=$(jq -c '.maps[] | select(.name == "mm_seen")' <<<"$output")
	[ "$(jq .max_entries <<<"$m")" = "$SEEN" ]
	[ "$(bpftool -j map show id "$(jq .id <<<"$m")" | jq .max_entries)" = "$SEEN" ]
	m=$(jq -c '.maps[] | select(.name == "mm_stats")' <<<"$output")
	[ "$(jq -r .pinned <<<"$m")" = "$BPFFS/xctl/modules/$NAME/maps/mm_stats" ]
	[ "$(bpftool -j map show pinned "$BPFFS/xctl/modules/$NAME/maps/mm_stats" | jq .id)" = \
	  "$(jq .id <<<"$m")" ]
	[ "$(jq '.globals[] | select(.name == "init_ssthresh") | .value' <<<"$output")" = 0 ]
}

@test "module set: a .data global changes what the running CA does, atomically, after xctl exits" {
	run load_mm "$NAME" "$CA"
	assert_status 0
	net_setup
	connect "$CA" c1
	[[ $(ss_info c1) == *"$CA"* && $(ss_info c1) != *"ssthresh:29 "* ]]

	run xctl -j module set "$NAME" init_ssthresh=29
	assert_status 0
	assert_json
	[ "$(jq .set.init_ssthresh <<<"$output")" = 29 ]
	# xctl has exited: the next connection starts with the new threshold
	connect "$CA" c2
	[[ $(ss_info c2) == *"ssthresh:29"* ]]
	# bpftool reads the same value from the module's .data map
	run bpftool -j map dump pinned "$BPFFS/xctl/modules/$NAME/maps/globals-data"
	assert_status 0
	[ "$(jq '.[0].formatted.value[".data"][] | select(.init_ssthresh) | .init_ssthresh' <<<"$output")" = 29 ]
	run xctl -j module info "$NAME"
	[ "$(jq '.globals[] | select(.name == "init_ssthresh") | .value' <<<"$output")" = 29 ]
	# the running CA counted both connections in its .bss counter
	[ "$(jq '.globals[] | select(.name == "inits") | .value' <<<"$output")" -ge 2 ]

	# all or nothing: one bad value leaves the other unchanged
	run xctl module set "$NAME" init_ssthresh=31 inits=99999999999999999999
	assert_status 1
	[[ $output == *"global inits"*"out of range"* ]]
	run xctl -j module info "$NAME"
	[ "$(jq '.globals[] | select(.name == "init_ssthresh") | .value' <<<"$output")" = 29 ]

	# parameters are fixed at load: refused, with the way to change them
	run xctl module set "$NAME" weight=2
	assert_status 1
	[[ $output == *"weight is a parameter"*"xctl module reload $NAME OBJ weight=VALUE"* ]]
	run xctl module set "$NAME" nosuch=1
	assert_status 1
	[[ $output == *"no runtime global 'nosuch'"*"init_ssthresh"* ]]
	run xctl module set "$NAME" init_ssthresh
	assert_status 2
	run xctl module set "$NAME"
	assert_status 2
	run xctl module set "m${UNIQ}none" init_ssthresh=1
	assert_status 1
	[[ $output == *"not loaded"* ]]
}

@test "module reload: LIBBPF_PIN_BY_NAME maps keep their contents, runtime globals start anew" {
	run load_mm "$NAME" "$CA"
	assert_status 0
	pin="$BPFFS/xctl/modules/$NAME/maps/mm_stats"
	id=$(bpftool -j map show pinned "$pin" | jq .id)
	data=$(bpftool -j map show pinned "$BPFFS/xctl/modules/$NAME/maps/globals-data" | jq .id)
	net_setup
	connect "$CA" c1
	[ "$(pinned_value "$pin" 0)" -eq 1 ]

	run xctl module reload "$NAME" "$OBJ" max_entries "mm_seen=$SEEN" weight=7
	assert_status 0
	# the declared pin was reused, not replaced
	[ "$(bpftool -j map show pinned "$pin" | jq .id)" = "$id" ]
	[ "$(pinned_value "$pin" 0)" -eq 1 ]
	# the new object's .data is what maps/ now holds
	[ "$(bpftool -j map show pinned "$BPFFS/xctl/modules/$NAME/maps/globals-data" | jq .id)" != "$data" ]
	connect "$CA" c2
	[ "$(pinned_value "$pin" 0)" -eq 8 ]
	[ -z "$(ls "$BPFFS/xctl/modules/$NAME/maps" | grep -- -new)" ]
}

@test "module completion: set, max_entries maps, runtime globals" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	run load_mm "$NAME" "$CA"
	assert_status 0
	run complete_words "$XCTL_BIN" module load "$OBJ" max_entries ""
	[ "$output" = "mm_stats= mm_seen=" ]
	run complete_words "$XCTL_BIN" module load "$OBJ" w
	[ "$output" = "weight=" ]
	run complete_words "$XCTL_BIN" --bpffs "$BPFFS" module set ""
	[ "$output" = "$NAME" ]
	run complete_words "$XCTL_BIN" --bpffs "$BPFFS" module set "$NAME" ""
	[ "$output" = "init_ssthresh= inits=" ]
	run complete_words "$XCTL_BIN" xdp attach lo "$TESTS_BPF/xdp_tail.bpf.o" d
	[ "$output" = "dev_bound" ]
}

@test "struct_ops register refuses an object with a LIBBPF_PIN_BY_NAME map: it pins no maps" {
	run xctl struct_ops register "$OBJ" ops_name "$CA"
	assert_status 1
	[[ $output == *"map mm_stats is declared LIBBPF_PIN_BY_NAME"*"xctl module load OBJ"* ]]
	[[ $output == *"cannot register $OBJ:"* ]]	# the file, not libbpf's 15-character name
	! grep -qw -- "$CA" "$AVAIL"
	[ -z "$(find "$BPFFS/xctl" -type f 2>/dev/null)" ]
}
