#!/usr/bin/env bats
# struct_ops objects written the ways upstream writes them, registered and
# loaded as modules on whichever libbpf ./xctl runs with (CI: bookworm's 1.1
# and bookworm-backports' 1.4):
#   ca_link.bpf.o    the map in SEC(".struct_ops.link"), programs in
#                    SEC("struct_ops") (kernel selftests' tcp_ca_update.c)
#   ca_mixed.bpf.o   one map in each struct_ops section
#   ca_nouse.bpf.o   two maps, the second incomplete (no ssthresh, undo_cwnd,
#                    cong_avoid), as bpf_dctcp.o carries dctcp_nouse
#   ca_unsupp.bpf.o  two maps, the second sets get_info, which the kernel
#                    refuses (ENOTSUPP, errno 524)
#   ca_opt.bpf.o     ca_opt_base in SEC(".struct_ops.link"), the optional
#                    ca_opt_extra in SEC("?.struct_ops.link") whose own
#                    program (get_info) the kernel refuses, a program in
#                    SEC("?struct_ops/...") that ca_opt_base uses (kernel
#                    selftests' struct_ops_autocreate.c)
#   ca_optonly.bpf.o only optional maps: ca_optonly_a in ?.struct_ops.link,
#                    ca_optonly_b in ?.struct_ops (struct_ops_autocreate2.c)
# None sets TCP_CONG_NON_RESTRICTED. Oracles: /proc/sys/net/ipv4/tcp_available_congestion_control and
# `bpftool struct_ops show`.

load helpers
load tcp_helpers

LINK_OBJ="$TESTS_BPF/ca_link.bpf.o"
MIXED_OBJ="$TESTS_BPF/ca_mixed.bpf.o"
NOUSE_OBJ="$TESTS_BPF/ca_nouse.bpf.o"
UNSUPP_OBJ="$TESTS_BPF/ca_unsupp.bpf.o"
OPT_OBJ="$TESTS_BPF/ca_opt.bpf.o"
OPTONLY_OBJ="$TESTS_BPF/ca_optonly.bpf.o"

setup() {
	common_setup
	NAME="o$UNIQ"
	CA="xo$UNIQ"
	PIDS=()
}

teardown() {
	reap_pids
	common_teardown
}

# bpftool's kind of struct_ops map id $1 ("" when there is no such map)
bpftool_kind() {
	bpftool -j struct_ops show | jq -r --argjson id "$1" \
		'.[] | select(.id == $id) | .kernel_struct_ops'
}

# The tcp CA name in the value of struct_ops map id $1, per bpftool (its
# plain dump: the map's info, then the value, whose .name comes last; the
# JSON one of bookworm's bpftool is not valid JSON for this value).
bpftool_ca() {
	bpftool struct_ops dump id "$1" 2>/dev/null |
		sed -n 's/^ *"name": "\(.*\)",\{0,1\}$/\1/p' | tail -n 1
}

# "map_id=ops_name ..." of module $1's struct_ops, the ids from `module
# list` and the names from bpftool's dump of those maps.
module_maps() {
	local id
	for id in $(xctl -j module list | jq --arg n "$1" \
			'.[] | select(.name == $n) | .struct_ops[].map_id'); do
		echo "$id=$(bpftool_ca "$id")"
	done | sort | tr '\n' ' '
}

@test "objects: a .struct_ops.link CA registers through a link; unregister removes it" {
	run xctl -j struct_ops register "$LINK_OBJ" ops_name "$CA"
	assert_status 0
	assert_json
	[ "$(jq -r '.[0].map' <<<"$output")" = ca_link ]
	id=$(jq '.[0].map_id' <<<"$output")
	[ "$(jq '.[0].link_id' <<<"$output")" -gt 0 ]
	ca_registered "$CA"
	[ "$(bpftool_kind "$id")" = tcp_congestion_ops ]
	[ "$(bpftool_ca "$id")" = "$CA" ]
	# a refusal after libbpf read the object (rewritten for an old libbpf:
	# libbpf's info lines) does not point at a kernel log there is not
	run xctl struct_ops register "$MIXED_OBJ" ops_name "x=${CA}b"
	assert_status 1
	[[ "$output" == *"has no struct_ops map x"* ]]
	[[ "$output" != *"run with -d"* ]]
	! ca_registered "${CA}b"
	run xctl -j struct_ops unregister id "$id"
	assert_status 0
	ca_gone "$CA"
}

@test "objects: a mixed object registers the maps of both sections, all or nothing" {
	run xctl -j struct_ops register "$MIXED_OBJ" ops_name "ca_mixed_a=${CA}a" \
		ops_name "ca_mixed_b=${CA}b"
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].map] | sort | join(",")' <<<"$output")" = ca_mixed_a,ca_mixed_b ]
	ca_registered "${CA}a"
	ca_registered "${CA}b"
	for id in $(jq '.[].map_id' <<<"$output"); do
		[ "$(bpftool_kind "$id")" = tcp_congestion_ops ]
	done
	[ "$(bpftool_ca "$(jq '.[] | select(.map == "ca_mixed_b") | .map_id' <<<"$output")")" = "${CA}b" ]
	# module info of the file sees both maps, and from which section
	run xctl -j module info "$MIXED_OBJ"
	assert_status 0
	[ "$(jq -r '[.struct_ops[] | "\(.map)=\(.section)"] | join(" ")' <<<"$output")" = \
		"ca_mixed_a=.struct_ops ca_mixed_b=.struct_ops.link" ]
	rm -rf "$BPFFS/xctl/struct_ops"
	ca_gone "${CA}a"
	ca_gone "${CA}b"
	# the second map's name is taken: nothing stays registered
	run xctl -j struct_ops register "$MIXED_OBJ" ops_name "ca_mixed_a=${CA}a" \
		ops_name "ca_mixed_b=reno"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"already has a tcp_congestion_ops named 'reno'"* ]]
	ca_gone "${CA}a"
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
}

@test "objects: .struct_ops.link and mixed objects load, reload and unload as modules" {
	for obj in "$LINK_OBJ" "$MIXED_OBJ"; do
		if [ "$obj" = "$LINK_OBJ" ]; then
			names=("$CA") args=(ops_name "$CA")
		else
			names=("${CA}a" "${CA}b")
			args=(ops_name "ca_mixed_a=${CA}a" ops_name "ca_mixed_b=${CA}b")
		fi
		run xctl -j module load "$obj" name "$NAME" "${args[@]}"
		assert_status 0
		assert_json
		for n in "${names[@]}"; do ca_registered "$n"; done
		before=$(module_maps "$NAME")
		for n in "${names[@]}"; do [[ "$before" == *"=$n "* ]]; done
		[ "$(wc -w <<<"$before")" -eq "${#names[@]}" ]

		run xctl -j module reload "$NAME" "$obj"
		assert_status 0
		for n in "${names[@]}"; do ca_registered "$n"; done
		after=$(module_maps "$NAME")
		for n in "${names[@]}"; do [[ "$after" == *"=$n "* ]]; done
		[ "$(wc -w <<<"$after")" -eq "${#names[@]}" ]
		[ "$before" != "$after" ]	# new maps, same names

		run xctl -j module unload "$NAME"
		assert_status 0
		for n in "${names[@]}"; do ca_gone "$n"; done
		[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	done
}

@test "objects: an incomplete map fails the whole load naming the missing members; nothing stays" {
	for verb in "struct_ops register" "module load"; do
		args=()
		[ "$verb" = "module load" ] && args=(name "$NAME")
		# shellcheck disable=SC2086
		run xctl -j $verb "$NOUSE_OBJ" "${args[@]}" ops_name "ca_nouse=${CA}n" \
			ops_name "ca_nouse_spare=${CA}s"
		assert_status 1
		assert_json
		msg=$(jq -r .error.message <<<"$output")
		[[ "$msg" == *"ca_nouse_spare of $NOUSE_OBJ"* ]]
		[[ "$msg" == *"requires members of tcp_congestion_ops"*"ssthresh, undo_cwnd, cong_avoid or cong_control"* ]]
		[ "$(jq .error.errno <<<"$output")" = 22 ]
		ca_gone "${CA}n"
		! ca_registered "${CA}s"
		[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
		[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	done
	# module info of the file says which maps a load registers and why the
	# spare one would be refused
	run xctl -j module info "$NOUSE_OBJ" map ca_nouse
	assert_status 0
	assert_json
	[ "$(jq -c '[.struct_ops[] | [.map, .register, .unset_required]]' <<<"$output")" = \
		'[["ca_nouse",true,null],["ca_nouse_spare",false,"ssthresh, undo_cwnd, cong_avoid or cong_control"]]' ]
	[ "$(jq -c '[.programs[] | select(.load == false) | .name]' <<<"$output")" = '["ca_nouse_state"]' ]
	[ "$(jq -c '.struct_ops[1].flags' <<<"$output")" = '["needs_ecn"]' ]
}

@test "objects: map NAME registers exactly the named maps (register, load, reload, unload)" {
	run xctl -j struct_ops register "$NOUSE_OBJ" map ca_nouse ops_name "ca_nouse=${CA}n" \
		ops_name "ca_nouse_spare=${CA}s"
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].map] | join(",")' <<<"$output")" = ca_nouse ]
	[ "$(bpftool_ca "$(jq '.[0].map_id' <<<"$output")")" = "${CA}n" ]
	ca_registered "${CA}n"
	! ca_registered "${CA}s"
	[ "$(ls "$BPFFS/xctl/struct_ops")" = ca_nouse ]
	rm -rf "$BPFFS/xctl/struct_ops"
	ca_gone "${CA}n"

	run xctl -j module load "$NOUSE_OBJ" name "$NAME" map ca_nouse ops_name "ca_nouse=${CA}n"
	assert_status 0
	[ "$(module_maps "$NAME")" = "$(jq '.struct_ops[0].map_id' <<<"$output")=${CA}n " ]
	ca_registered "${CA}n"
	# meta records the selection (bpftool reads it through its BTF)
	bpftool map dump pinned "$BPFFS/xctl/modules/$NAME/meta" | grep -q '"struct_ops": "ca_nouse"'
	run xctl -j module info "$NAME"
	[ "$(jq -c '[.selected_maps, .non_restricted]' <<<"$output")" = '[["ca_nouse"],false]' ]
	# reload registers the module's maps again (no 'map' needed)
	run xctl -j module reload "$NAME" "$NOUSE_OBJ"
	assert_status 0
	[[ "$(module_maps "$NAME")" == *"=${CA}n " ]]
	[ "$(module_maps "$NAME" | wc -w)" -eq 1 ]
	run xctl -j module info "$NAME"
	[ "$(jq -c .selected_maps <<<"$output")" = '["ca_nouse"]' ]
	# a map the object lacks is refused by name
	run xctl -j module reload "$NAME" "$NOUSE_OBJ" map nosuch
	assert_status 1
	[[ "$(jq -r .error.message <<<"$output")" == *"nosuch"*"ca_nouse, ca_nouse_spare"* ]]
	ca_registered "${CA}n"
	run xctl -j module unload "$NAME"
	assert_status 0
	ca_gone "${CA}n"

	# the program only the unsupported map uses is not loaded with 'map'
	run xctl -j module load "$UNSUPP_OBJ" name "$NAME" map ca_unsupp_ok \
		ops_name "ca_unsupp_ok=${CA}u"
	assert_status 0
	ca_registered "${CA}u"
	run xctl -j module reload "$NAME" "$UNSUPP_OBJ"
	assert_status 0
	run xctl -j module unload "$NAME"
	assert_status 0
	ca_gone "${CA}u"
}

@test "objects: ENOTSUPP (524) names the member the kernel does not support" {
	run xctl -j struct_ops register "$UNSUPP_OBJ" ops_name "ca_unsupp_ok=${CA}u" \
		ops_name "ca_unsupp_info=${CA}i"
	assert_status 1
	assert_json
	[ "$(jq .error.errno <<<"$output")" = 524 ]
	msg=$(jq -r .error.message <<<"$output")
	[[ "$msg" == *"cannot load object $UNSUPP_OBJ"* ]]
	[[ "$msg" == *"the kernel does not support member get_info of tcp_congestion_ops (program ca_unsupp_get_info)"* ]]
	[[ "$msg" != *"Unknown error"* ]]
	! ca_registered "${CA}u"
	run xctl module load "$UNSUPP_OBJ" name "$NAME" ops_name "ca_unsupp_ok=${CA}u" \
		ops_name "ca_unsupp_info=${CA}i"
	assert_status 1
	[[ "$output" == *"does not support member get_info"* ]]
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	# without the map that sets it, its program is not loaded at all
	run xctl -j struct_ops register "$UNSUPP_OBJ" map ca_unsupp_ok ops_name "ca_unsupp_ok=${CA}u"
	assert_status 0
	[ "$(bpftool_ca "$(jq '.[0].map_id' <<<"$output")")" = "${CA}u" ]
	ca_registered "${CA}u"
	rm -rf "$BPFFS/xctl/struct_ops"
	ca_gone "${CA}u"
}

@test "objects: non_restricted lets a child network namespace make the CA its default" {
	# the object does not set TCP_CONG_NON_RESTRICTED
	run xctl -j module info "$LINK_OBJ"
	[ "$(jq -c '.struct_ops[0].flags' <<<"$output")" = '[]' ]
	run xctl -j module load "$LINK_OBJ" name "$NAME" ops_name "$CA" non_restricted
	assert_status 0
	assert_json
	id=$(jq '.struct_ops[0].map_id' <<<"$output")
	[ "$(jq -c '.struct_ops[0].flags' <<<"$output")" = '["non_restricted"]' ]
	run xctl -j struct_ops dump id "$id"
	assert_status 0
	[ "$(jq -c .flags <<<"$output")" = '["non_restricted"]' ]
	[ "$(jq .value.data.flags <<<"$output")" = 1 ]

	net_setup
	ip netns exec "$NS_A" sysctl -qw net.ipv4.tcp_congestion_control="$CA"
	[ "$(ip netns exec "$NS_A" cat /proc/sys/net/ipv4/tcp_congestion_control)" = "$CA" ]
	connect "" c1		# the namespace's default
	run ss_info c1
	[[ "$output" == *" $CA "* ]]

	# reload keeps it (the kernel keeps the default pointing at the CA)
	run xctl -j module reload "$NAME" "$LINK_OBJ"
	assert_status 0
	[ "$(jq -c '.struct_ops[0].flags' <<<"$output")" = '["non_restricted"]' ]
	run xctl -j module info "$NAME"
	[ "$(jq -c '[.selected_maps, .non_restricted]' <<<"$output")" = '[null,true]' ]
	connect "" c2
	run ss_info c2
	[[ "$output" == *" $CA "* ]]

	ip netns exec "$NS_A" sysctl -qw net.ipv4.tcp_congestion_control=reno
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	run xctl -j module unload "$NAME" --force
	assert_status 0
	ca_gone "$CA"
}

@test "objects: struct_ops register non_restricted and bad map arguments" {
	run xctl -j struct_ops register "$LINK_OBJ" ops_name "$CA" non_restricted
	assert_status 0
	id=$(jq '.[0].map_id' <<<"$output")
	run xctl -j struct_ops dump id "$id"
	[ "$(jq -c .flags <<<"$output")" = '["non_restricted"]' ]
	rm -rf "$BPFFS/xctl/struct_ops"
	ca_gone "$CA"
	run xctl -j struct_ops register "$LINK_OBJ" map
	assert_status 2
	assert_json
	run xctl -j struct_ops register "$LINK_OBJ" ops_name "$CA" map nosuch
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"cannot select map nosuch of $LINK_OBJ"*"ca_link"* ]]
	! ca_registered "$CA"
	run xctl -j module load "$LINK_OBJ" name "$NAME" map
	assert_status 2
	assert_json
	run xctl -j module info "$LINK_OBJ" map
	assert_status 2
	run xctl -j module info "$LINK_OBJ" nosuch ca_link
	assert_status 2
}

@test "objects: completion of map and non_restricted" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	run complete_words "$XCTL_BIN" struct_ops register "$NOUSE_OBJ" ""
	[ "$output" = "pin ops_name map non_restricted legacy" ]
	run complete_words "$XCTL_BIN" struct_ops register "$NOUSE_OBJ" map ""
	[ "$output" = "ca_nouse ca_nouse_spare" ]
	run complete_words "$XCTL_BIN" module load "$MIXED_OBJ" map ca_mixed_
	[ "$output" = "ca_mixed_a ca_mixed_b" ]
	run complete_words "$XCTL_BIN" module load "$LINK_OBJ" non
	[ "$output" = "non_restricted" ]
	run complete_words "$XCTL_BIN" module info "$NOUSE_OBJ" ""
	[ "$output" = "map" ]
	run complete_words "$XCTL_BIN" module info "$NOUSE_OBJ" map ca_nouse_s
	[ "$output" = "ca_nouse_spare" ]
}

@test "objects: apply with map and non_restricted converges, then leaves it unchanged" {
	mkdir -p "$TMPD/conf/modules.d"
	echo "$NOUSE_OBJ name $NAME map ca_nouse ops_name ca_nouse=${CA}n non_restricted" \
		>"$TMPD/conf/modules.d/10-nouse.conf"
	run xctl -j apply --config "$TMPD/conf"
	assert_status 0
	assert_json
	[ "$(jq -r '[.actions[] | "\(.name):\(.action)"] | join(",")' <<<"$output")" = "$NAME:load" ]
	ca_registered "${CA}n"
	! ca_registered xctl_nouse_spare
	id=$(xctl -j module list | jq --arg n "$NAME" '.[] | select(.name == $n) | .struct_ops[0].map_id')
	[ "$(xctl -j struct_ops dump id "$id" | jq -c .flags)" = '["non_restricted"]' ]
	run xctl -j apply --config "$TMPD/conf"
	assert_status 0
	[ "$(jq -r '[.actions[] | "\(.name):\(.action)"] | join(",")' <<<"$output")" = "$NAME:unchanged" ]
	run xctl -j module unload "$NAME"
	assert_status 0
	ca_gone "${CA}n"
}

@test "objects: an optional map is left out (its program too) unless 'map NAME' selects it" {
	# by default only ca_opt_base: had ca_opt_get_info been loaded, the
	# kernel would have refused the object; ca_opt_undo_cwnd, in
	# SEC("?struct_ops/undo_cwnd"), was loaded, or the kernel would refuse
	# a CA without undo_cwnd
	run xctl -j struct_ops register "$OPT_OBJ" ops_name "ca_opt_base=${CA}b" \
		ops_name "ca_opt_extra=${CA}e"
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].map] | join(",")' <<<"$output")" = ca_opt_base ]
	id=$(jq '.[0].map_id' <<<"$output")
	[ "$(bpftool_kind "$id")" = tcp_congestion_ops ]
	[ "$(bpftool_ca "$id")" = "${CA}b" ]
	ca_registered "${CA}b"
	! ca_registered "${CA}e"
	[ "$(ls "$BPFFS/xctl/struct_ops")" = ca_opt_base ]
	run xctl -j struct_ops unregister id "$id"
	assert_status 0
	ca_gone "${CA}b"
	# selected, the optional map is created and its program loaded: the
	# kernel refuses that program, and nothing stays registered
	run xctl -j struct_ops register "$OPT_OBJ" map ca_opt_base map ca_opt_extra \
		ops_name "ca_opt_base=${CA}b" ops_name "ca_opt_extra=${CA}e"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"does not support member get_info of tcp_congestion_ops (program ca_opt_get_info)"* ]]
	ca_gone "${CA}b"
	! ca_registered "${CA}e"
	[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
}

@test "objects: only optional maps: refused naming them, registered when selected" {
	for verb in "struct_ops register" "module load"; do
		args=()
		[ "$verb" = "module load" ] && args=(name "$NAME")
		# shellcheck disable=SC2086
		run xctl -j $verb "$OPTONLY_OBJ" "${args[@]}" ops_name "ca_optonly_a=${CA}a"
		assert_status 1
		assert_json
		msg=$(jq -r .error.message <<<"$output")
		[[ "$msg" == *"all optional"*"none is selected: ca_optonly_b, ca_optonly_a"* ]]
		[[ "$(jq -r .error.hint <<<"$output")" == *"'map NAME'"* ]]
		! ca_registered "${CA}a"
		[ -z "$(ls -A "$BPFFS/xctl/struct_ops" 2>/dev/null)" ]
		[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	done
	run xctl struct_ops register "$OPTONLY_OBJ"
	assert_status 1
	[[ "$output" == *"select the ones to register with 'map NAME', e.g. 'map ca_optonly_b'"* ]]
	[[ "$output" != *"run with -d"* ]]	# refused before libbpf reads the object
	# each optional section registers what is selected from it
	run xctl -j struct_ops register "$OPTONLY_OBJ" map ca_optonly_b map ca_optonly_a \
		ops_name "ca_optonly_a=${CA}a" ops_name "ca_optonly_b=${CA}o"
	assert_status 0
	assert_json
	[ "$(jq -r '[.[].map] | sort | join(",")' <<<"$output")" = ca_optonly_a,ca_optonly_b ]
	for m in a b; do
		id=$(jq --arg m "ca_optonly_$m" '.[] | select(.map == $m) | .map_id' <<<"$output")
		[ "$(bpftool_kind "$id")" = tcp_congestion_ops ]
	done
	ca_registered "${CA}a"
	ca_registered "${CA}o"
	rm -rf "$BPFFS/xctl/struct_ops"
	ca_gone "${CA}a"
	ca_gone "${CA}o"
}

@test "objects: module info shows optional maps; modules load, reload and unload them when selected" {
	run xctl -j module info "$OPT_OBJ"
	assert_status 0
	assert_json
	[ "$(jq -c '[.struct_ops[] | [.map, .section, .optional, .register]]' <<<"$output")" = \
		'[["ca_opt_base",".struct_ops.link",false,true],["ca_opt_extra","?.struct_ops.link",true,false]]' ]
	[ "$(jq -c '[.programs[] | select(.load == false) | .name]' <<<"$output")" = '["ca_opt_get_info"]' ]
	run xctl -j module info "$OPT_OBJ" map ca_opt_extra
	[ "$(jq -c '[.struct_ops[] | [.map, .optional, .register]]' <<<"$output")" = \
		'[["ca_opt_extra",true,true],["ca_opt_base",false,false]]' ]
	run xctl module info "$OPTONLY_OBJ"
	assert_status 0
	[[ "$output" == *"optional: yes"* ]]
	run xctl -j module info "$OPTONLY_OBJ"
	[ "$(jq -c '[.struct_ops[] | [.map, .section, .optional, .register]]' <<<"$output")" = \
		'[["ca_optonly_b","?.struct_ops",true,false],["ca_optonly_a","?.struct_ops.link",true,false]]' ]

	# a module of the default map only
	run xctl -j module load "$OPT_OBJ" name "$NAME" ops_name "ca_opt_base=${CA}b"
	assert_status 0
	[ "$(module_maps "$NAME")" = "$(jq '.struct_ops[0].map_id' <<<"$output")=${CA}b " ]
	run xctl -j module unload "$NAME"
	assert_status 0
	ca_gone "${CA}b"

	# a module of a selected optional map: meta records it, reload keeps it
	run xctl -j module load "$OPTONLY_OBJ" name "$NAME" map ca_optonly_a \
		ops_name "ca_optonly_a=${CA}a"
	assert_status 0
	[ "$(module_maps "$NAME")" = "$(jq '.struct_ops[0].map_id' <<<"$output")=${CA}a " ]
	ca_registered "${CA}a"
	bpftool map dump pinned "$BPFFS/xctl/modules/$NAME/meta" | grep -q '"struct_ops": "ca_optonly_a"'
	before=$(module_maps "$NAME")
	run xctl -j module reload "$NAME" "$OPTONLY_OBJ"
	assert_status 0
	after=$(module_maps "$NAME")
	[[ "$after" == *"=${CA}a " ]]
	[ "$(wc -w <<<"$after")" -eq 1 ]
	[ "$before" != "$after" ]
	run xctl -j module unload "$NAME"
	assert_status 0
	ca_gone "${CA}a"
}

@test "objects: completion offers optional maps" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	run complete_words "$XCTL_BIN" struct_ops register "$OPT_OBJ" map ""
	[ "$output" = "ca_opt_base ca_opt_extra" ]
	run complete_words "$XCTL_BIN" module load "$OPTONLY_OBJ" map ca_optonly_
	[ "$output" = "ca_optonly_b ca_optonly_a" ]
}
