#!/usr/bin/env bats
# xctl module: load/list/info/unload/reload of struct_ops objects against the
# real kernel. Oracles: /proc/sys/net/ipv4/tcp_available_congestion_control,
# `ss -ti` inside the test's network namespaces, bpftool and the private
# bpffs itself; never xctl's own output alone.

load helpers
load tcp_helpers
bats_require_minimum_version 1.5.0

# examples/cc.bpf.o: map xctl_cc; tests/bpf/mod_cc.bpf.o: map mod_cc, a CA
# any netns may make its default (TCP_CONG_NON_RESTRICTED).
CC_OBJ="$EXAMPLES/cc.bpf.o"
MOD_OBJ="$TESTS_BPF/mod_cc.bpf.o"
CLASH_OBJ="$TESTS_BPF/mod_clash.bpf.o"

setup() {
	common_setup
	NAME="m$UNIQ"
	CA="xc$UNIQ"
	PIDS=()
}

teardown() {
	reap_pids
	common_teardown
}

# load_cc NAME [PARAM=VALUE...]: examples/cc.bpf.o as CA $CA
load_cc() {
	xctl module load "$CC_OBJ" name "$1" ops_name "$CA" "${@:2}"
}

# True while a struct_ops map named mod_clash_a holds ops name $1.
clash_maps_with() {
	local id
	for id in $(bpftool -j map show | jq '.[] | select(.name == "mod_clash_a") | .id'); do
		bpftool -j struct_ops dump id "$id" 2>/dev/null | grep -q "\"$1\"" && return 0
	done
	return 1
}

modules_dir_empty() {
	[ -z "$(ls -A "$BPFFS/xctl/modules" 2>/dev/null)" ]
}

@test "module load with parameters: a TCP connection uses the CA; info reads them back" {
	run load_cc "$NAME" init_ssthresh=33 growth=XCTL_CC_SCALABLE beta=0x2cd label=hello
	assert_status 0
	ca_registered "$CA"
	[ -d "$BPFFS/xctl/modules/$NAME" ]
	[ -e "$BPFFS/xctl/modules/$NAME/meta" ]
	[ -e "$BPFFS/xctl/modules/$NAME/xctl_cc" ]

	net_setup
	connect "$CA" c1
	run ss_info c1
	[[ $output == *"$CA"* ]]
	[[ $output == *"ssthresh:33"* ]]

	run xctl -j module info "$NAME"
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "init_ssthresh") | .value')" = 33 ]
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "init_ssthresh") | .default')" = 0 ]
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "beta") | .value')" = 717 ]
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "beta") | .default')" = 512 ]
	[ "$(echo "$output" | jq -r '.parameters[] | select(.name == "growth") | .value')" = XCTL_CC_SCALABLE ]
	[ "$(echo "$output" | jq -r '.parameters[] | select(.name == "label") | .value')" = hello ]
	[ "$(echo "$output" | jq -r '.parameters[] | select(.name == "label") | .default')" = reno ]
	[ "$(echo "$output" | jq -r '.parameters[] | select(.name == "label") | .type')" = "char[16]" ]
	[ "$(echo "$output" | jq -r '.struct_ops[0].ops_name')" = "$CA" ]
	[ "$(echo "$output" | jq -r .license)" = GPL ]
	[ "$(echo "$output" | jq -r .sha256)" = "$(sha256sum "$CC_OBJ" | cut -d' ' -f1)" ]
	[ "$(echo "$output" | jq -r .pinned)" = "$BPFFS/xctl/modules/$NAME" ]
	[ "$(echo "$output" | jq -r '.struct_ops[0].kind')" = tcp_congestion_ops ]
	# program ids are the kernel's (bpftool sees the same struct_ops programs)
	for id in $(echo "$output" | jq '.programs[].id'); do
		bpftool -j prog show id "$id" | jq -e '.type == "struct_ops"' >/dev/null
	done
	[ "$(echo "$output" | jq '.programs | length')" -eq 4 ]
	map_id=$(echo "$output" | jq '.struct_ops[0].map_id')
	bpftool -j map show id "$map_id" | jq -e '.type == "struct_ops"'

	# meta is BTF-described: bpftool prints it with field names
	run bpftool -j map dump pinned "$BPFFS/xctl/modules/$NAME/meta"
	assert_status 0
	[ "$(echo "$output" | jq -r '.[0].formatted.value.name // .[0].value.name')" = "$NAME" ]
	[ "$(echo "$output" | jq -r '.[0].formatted.value.sha256 // .[0].value.sha256')" = \
	  "$(sha256sum "$CC_OBJ" | cut -d' ' -f1)" ]

	run xctl -j module list
	assert_status 0
	assert_json
	e=$(echo "$output" | jq --arg n "$NAME" '.[] | select(.name == $n)')
	[ "$(echo "$e" | jq -r .state)" = loaded ]
	[ "$(echo "$e" | jq '.parameters.init_ssthresh')" = 33 ]
	[ "$(echo "$e" | jq '.struct_ops[0].map_id')" = "$map_id" ]
	[ "$(echo "$e" | jq -r .loaded_at)" != null ]
	[[ $(echo "$e" | jq -r .loaded_at) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]
	[ "$(echo "$e" | jq .users)" -ge 1 ]
	link_id=$(echo "$e" | jq '.struct_ops[0].link_id')
	bpftool -j link show pinned "$BPFFS/xctl/modules/$NAME/xctl_cc" | jq -e --argjson l "$link_id" '.id == $l'

	run xctl module list
	assert_status 0
	[[ ${lines[0]} == NAME*STATE*STRUCT_OPS*MAPS*LINKS*"USED BY"*LOADED*OBJECT ]]
	[[ $output == *"$NAME"*loaded*tcp_congestion_ops* ]]
}

@test "module unload refuses while a socket uses the CA, --force unloads" {
	run load_cc "$NAME"
	assert_status 0
	net_setup
	connect "$CA" c1
	[[ $(ss_info c1) == *"$CA"* ]]

	run xctl module unload "$NAME"
	assert_status 1
	[[ $output == *"module $NAME is in use"* ]]
	[[ $output == *"--force"* ]]
	ca_registered "$CA"
	[ -e "$BPFFS/xctl/modules/$NAME/meta" ]
	run xctl -j module unload "$NAME"
	assert_status 1
	assert_json
	echo "$output" | jq -e '.error.errno == 16'

	run xctl -j module unload "$NAME" --force
	assert_status 0
	assert_json
	ca_gone "$CA"
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
	# the open connection keeps working with the code it has
	[[ $(ss_info c1) == *ESTAB* || $(ip netns exec "$NS_A" ss -tn state established) == *10.77.0.2* ]]
}

@test "module unload refuses while the CA is the netns default" {
	run xctl module load "$MOD_OBJ" name "$NAME" ops_name "$CA"
	assert_status 0
	net_setup
	ip netns exec "$NS_A" sysctl -qw net.ipv4.tcp_congestion_control="$CA"
	# a socket of that netns gets it without asking
	connect "" c1
	[[ $(ss_info c1) == *"$CA"* ]]
	kill -9 "${PIDS[-1]}"
	wait "${PIDS[-1]}" 2>/dev/null || true
	run xctl -N "$NS_A" module unload "$NAME"
	assert_status 1
	[[ $output == *"net.ipv4.tcp_congestion_control"* ]]
	ca_registered "$CA"
	run xctl -N "$NS_A" module list
	[[ $output == *"netns default"* ]]
	run xctl -N "$NS_A" module unload "$NAME" --force
	assert_status 0
	ca_gone "$CA"
}

@test "module reload swaps the implementation with no gap; new connections get the new code" {
	run load_cc "$NAME" init_ssthresh=33
	assert_status 0
	net_setup
	connect "$CA" c1
	[[ $(ss_info c1) == *"ssthresh:33"* ]]
	link_before=$(bpftool -j link show pinned "$BPFFS/xctl/modules/$NAME/xctl_cc" | jq .id)
	map_before=$(xctl -j module info "$NAME" | jq '.struct_ops[0].map_id')

	# Watch the CA's registration while the reload runs.
	(
		n=0
		while [ ! -e "$TMPD/stop" ]; do
			grep -qw -- "$CA" "$AVAIL" || echo missing >> "$TMPD/gaps"
			n=$((n + 1))
			echo "$n" > "$TMPD/polls"
		done
	) 3>&- &
	PIDS+=($!)
	wait_file "$TMPD/polls"
	# no ops_name: reload keeps the module's CA name, as the kernel requires
	run xctl module reload "$NAME" "$CC_OBJ" init_ssthresh=44
	touch "$TMPD/stop"
	wait "${PIDS[-1]}"
	assert_status 0
	[ ! -e "$TMPD/gaps" ]
	[ "$(cat "$TMPD/polls")" -gt 0 ]

	connect "$CA" c2
	[[ $(ss_info c2) == *"$CA"* ]]
	[[ $(ss_info c2) == *"ssthresh:44"* ]]
	# the old connection was set up by the old code
	[[ $(ss_info c1) == *"ssthresh:33"* ]]

	# same link, new struct_ops map
	[ "$(bpftool -j link show pinned "$BPFFS/xctl/modules/$NAME/xctl_cc" | jq .id)" = "$link_before" ]
	run xctl -j module info "$NAME"
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq '.struct_ops[0].map_id')" != "$map_before" ]
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "init_ssthresh") | .value')" = 44 ]
	bpftool -j map dump pinned "$BPFFS/xctl/modules/$NAME/meta" | grep -q 'init_ssthresh.*44'
	[ "$(grep -cw -- "$CA" "$AVAIL")" -eq 1 ]
}

@test "module reload refuses mismatching maps and unknown modules; nothing changes" {
	run load_cc "$NAME" init_ssthresh=33
	assert_status 0
	before=$(xctl -j module list | jq -c --arg n "$NAME" '.[] | select(.name == $n) | .struct_ops')

	run xctl module reload "$NAME" "$TESTS_BPF/ctl_sops.bpf.o"
	assert_status 1
	[[ $output == *"cannot reload module $NAME"* ]]
	run xctl module reload "$NAME" "$CLASH_OBJ"
	assert_status 1
	run xctl module reload "$NAME" "$MOD_OBJ"
	assert_status 1
	# the kernel keeps a tcp CA's name across an update
	run xctl module reload "$NAME" "$CC_OBJ" ops_name "xd$UNIQ"
	assert_status 1
	[[ $output == *name* ]]
	! ca_registered "xd$UNIQ"
	ca_registered "$CA"
	run xctl module reload "$NAME" "$CC_OBJ" init_ssthresh=-1
	assert_status 1
	run xctl module reload "$NAME" "$CC_OBJ" nosuch=1
	assert_status 1
	run xctl module reload "$NAME" "$TMPD/missing.o"
	assert_status 1
	after=$(xctl -j module list | jq -c --arg n "$NAME" '.[] | select(.name == $n) | .struct_ops')
	[ "$before" = "$after" ]
	run xctl -j module info "$NAME"
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "init_ssthresh") | .value')" = 33 ]

	run xctl -j module reload "nosuch$UNIQ" "$CC_OBJ"
	assert_status 1
	assert_json
	[[ $output == *"not loaded"* ]]
	run xctl module reload "$NAME"
	assert_status 2
	run xctl module reload "../x" "$CC_OBJ"
	assert_status 2
	run xctl module reload "$NAME" "$CC_OBJ" bad
	assert_status 2
}

@test "module load: 8 concurrent loads of one NAME, exactly one wins" {
	local i pids=()
	for i in $(seq 8); do
		"$XCTL_BIN" --bpffs "$BPFFS" module load "$CC_OBJ" name "$NAME" ops_name "xctl_cc=$CA" \
			>"$TMPD/out.$i" 2>&1 3>&- &
		pids+=($!)
	done
	ok=0 failed=0
	for i in $(seq 8); do
		if wait "${pids[i - 1]}"; then
			ok=$((ok + 1))
		else
			rc=$?
			[ "$rc" -eq 1 ]
			grep -q "loaded or being loaded" "$TMPD/out.$i"
			failed=$((failed + 1))
		fi
	done
	[ "$ok" -eq 1 ]
	[ "$failed" -eq 7 ]
	[ "$(grep -cw -- "$CA" "$AVAIL")" -eq 1 ]
	[ "$(ls "$BPFFS/xctl/modules")" = "$NAME" ]
	run xctl module unload "$NAME"
	assert_status 0
	ca_gone "$CA"
}

@test "module load: a clashing second struct_ops undoes the first" {
	run xctl module load "$CLASH_OBJ" name "$NAME" ops_name "mod_clash_a=xk$UNIQ"
	assert_status 1
	[[ $output == *mod_clash_b* ]]
	ca_gone "xk$UNIQ"
	registered_reno=$(grep -cw reno "$AVAIL")
	[ "$registered_reno" -eq 1 ]
	modules_dir_empty
	# nothing of the object is left in the kernel once its fds are gone: no
	# struct_ops map holds our unique ops name (other runs' maps may exist)
	for i in $(seq 100); do
		clash_maps_with "xk$UNIQ" || break
		sleep 0.1
	done
	! clash_maps_with "xk$UNIQ"
}

@test "module load killed at each step leaves no orphan; list and unload clean up" {
	local step pid
	for step in reserved loaded registered:xctl_cc pinned:xctl_cc meta; do
		XCTL_TEST_PAUSE_AT=$step "$XCTL_TEST_BIN" --bpffs "$BPFFS" module load "$CC_OBJ" \
			name "$NAME" ops_name "$CA" >/dev/null 2>&1 3>&- &
		pid=$!
		PIDS+=($pid)
		wait_stopped "$pid" || { echo "load did not stop at $step" >&2; return 1; }
		kill -9 "$pid"
		wait "$pid" 2>/dev/null || true

		case $step in
		reserved|loaded|registered:*)
			# nothing pinned: the kernel dropped the registration
			ca_gone "$CA" ;;
		*)
			# a pinned link keeps it registered until unload
			ca_registered "$CA" ;;
		esac
		[ -d "$BPFFS/xctl/modules/$NAME" ]
		[ ! -e "$BPFFS/xctl/modules/$NAME/meta" ]
		run xctl -j module list
		assert_status 0
		assert_json
		[ "$(echo "$output" | jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state')" = incomplete ]
		run load_cc "$NAME"
		assert_status 1
		[[ $output == *"loaded or being loaded"* ]]
		run xctl module unload "$NAME"
		assert_status 0
		[ ! -e "$BPFFS/xctl/modules/$NAME" ]
		ca_gone "$CA"
	done
	# after a kill past the last step the module is complete
	run load_cc "$NAME"
	assert_status 0
	run xctl module unload "$NAME"
	assert_status 0
	ca_gone "$CA"
}

@test "module info of an object file lists parameters, maps and programs" {
	run xctl -j module info "$MOD_OBJ"
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq -r .sha256)" = "$(sha256sum "$MOD_OBJ" | cut -d' ' -f1)" ]
	[ "$(echo "$output" | jq -r '.struct_ops[0].map')" = mod_cc ]
	[ "$(echo "$output" | jq -r '.struct_ops[0].ops_name')" = xctl_mod_cc ]
	[ "$(echo "$output" | jq -r '.struct_ops[0].kind')" = tcp_congestion_ops ]
	[ "$(echo "$output" | jq -c '[.parameters[].name]')" = \
	  '["init_ssthresh","cwnd_clamp","enabled","mode","tag"]' ]
	[ "$(echo "$output" | jq -c '[.parameters[] | .value] | unique')" = '[null]' ]
	[ "$(echo "$output" | jq -r '.parameters[] | select(.name == "tag") | .default')" = v1 ]
	[ "$(echo "$output" | jq -r '.parameters[] | select(.name == "enabled") | .type')" = bool ]
	# programs and sections match the ELF (oracle: bpftool's view of the file's BTF)
	[ "$(echo "$output" | jq '.programs | length')" -eq 4 ]
	echo "$output" | jq -e '.programs[] | select(.name == "mod_cc_init") | .section == "struct_ops/mod_cc_init"'
	modules_dir_empty
	run xctl module info "$CC_OBJ"
	assert_status 0
	[[ $output == *"init_ssthresh"* ]]
	[[ $output == *"license: GPL"* ]]
}

@test "module: bad inputs are clear errors and change nothing" {
	printf 'not an ELF file\n' > "$TMPD/junk.o"
	head -c 2000 "$CC_OBJ" > "$TMPD/trunc.o"
	for obj in "$TMPD/junk.o" "$TMPD/trunc.o" "$TESTS_BPF/ctl_xdp.bpf.o" "$TMPD/missing.o"; do
		run xctl module load "$obj" name "$NAME"
		assert_status 1
		[[ $output == *error* ]]
		run xctl -j module load "$obj" name "$NAME"
		assert_status 1
		assert_json
		run xctl module info "$obj"
		assert_status 1
	done
	for p in nosuch=1 init_ssthresh=abc init_ssthresh=4294967296 init_ssthresh=-1 \
		 slow_start=maybe growth=BOGUS label=0123456789abcdef; do
		run load_cc "$NAME" "$p"
		assert_status 1
		[[ $output == *"${p%%=*}"* ]]
	done
	run load_cc "$NAME" nosuch=1
	[[ $output == *"beta, init_ssthresh, slow_start, growth, label"* ]]
	for n in "../x" "" ".x" "a/b" "$(printf 'a%.0s' $(seq 49))"; do
		run xctl module load "$CC_OBJ" name "$n" ops_name "$CA"
		assert_status 2
	done
	run xctl module load "$CC_OBJ" name "$(printf 'a%.0s' $(seq 48))" nosuch=1
	assert_status 1
	run load_cc "$NAME" notaparam
	assert_status 2
	run xctl module load "$CC_OBJ" name "$NAME" ops_name
	assert_status 2
	run xctl module load "$CC_OBJ" name "$NAME" ops_name =x
	assert_status 2
	run xctl module load "$CC_OBJ" name "$NAME" ops_name "nomap=$CA"
	assert_status 1
	[[ $output == *"no struct_ops map"* ]]
	run xctl module load "$CC_OBJ" name "$NAME" =1
	assert_status 2
	run xctl module load
	assert_status 2
	run xctl module load "$CC_OBJ" name
	assert_status 2
	modules_dir_empty
	! ca_registered "$CA"

	run xctl module unload "nosuch$UNIQ"
	assert_status 1
	[[ $output == *"not loaded"* ]]
	run xctl -j module info "nosuch$UNIQ"
	assert_status 1
	assert_json
	run xctl module unload
	assert_status 2
	run xctl module unload "../x"
	assert_status 2
	run xctl module unload a b
	assert_status 2
	run xctl module info
	assert_status 2
	run xctl module list extra
	assert_status 2
	run xctl module frobnicate
	assert_status 2
	run xctl -j module help
	assert_status 0
	assert_json
	run xctl module l
	assert_status 0
}

@test "module: without CAP_BPF/CAP_SYS_ADMIN load and unload fail naming what is missing" {
	local drop=cap_bpf,cap_sys_admin,cap_net_admin,cap_perfmon
	run capsh --drop=$drop -- -c "'$XCTL_BIN' --bpffs '$BPFFS' module load '$CC_OBJ' name $NAME ops_name $CA"
	assert_status 1
	[[ $output == *"Operation not permitted"* ]]
	[[ $output == *CAP_BPF* ]]
	modules_dir_empty
	! ca_registered "$CA"

	run load_cc "$NAME"
	assert_status 0
	run capsh --drop=$drop -- -c "'$XCTL_BIN' --bpffs '$BPFFS' module unload $NAME"
	assert_status 1
	[[ $output == *CAP_SYS_ADMIN* ]]
	ca_registered "$CA"
	[ -e "$BPFFS/xctl/modules/$NAME/meta" ]
	run xctl module unload "$NAME"
	assert_status 0
	ca_gone "$CA"
}

@test "module load: a verifier refusal shows the log with -d; a kind the kernel cannot register fails cleanly" {
	run xctl module load "$TESTS_BPF/mod_reject.bpf.o" name "$NAME" ops_name "$CA"
	assert_status 1
	[[ $output == *verifier* ]]
	run xctl -d module load "$TESTS_BPF/mod_reject.bpf.o" name "$NAME" ops_name "$CA"
	assert_status 1
	# the verifier's own words for the refused write
	[[ $output == *"no write support to tcp_sock"* ]]
	modules_dir_empty
	! ca_registered "$CA"

	# its map renamed to a name of this test's own: no struct_ops map of
	# that name is left in the kernel (the same test may run concurrently)
	unique_sym "$TESTS_BPF/mod_dummy.bpf.o" mod_dummy
	run xctl -j module load "$UNIQ_OBJ" name "$NAME"
	assert_status 1
	assert_json
	[[ $(jq -r .error.message <<<"$output") == *"struct_ops $UNIQ_SYM of $UNIQ_OBJ"* ]]
	modules_dir_empty
	[ -z "$(bpftool -j struct_ops show 2>/dev/null | jq -r --arg n "$UNIQ_SYM" '.[]? | select(.name == $n) | .id')" ]
}

@test "module reload: a failing second swap puts the first back" {
	TWO="$TESTS_BPF/mod_two.bpf.o"
	run xctl module load "$TWO" name "$NAME" ops_name "mod_two_a=xa$UNIQ" \
		ops_name "mod_two_b=xb$UNIQ" init_ssthresh=5
	assert_status 0
	before=$(xctl -j module list | jq -c --arg n "$NAME" '.[] | select(.name == $n) | .struct_ops')
	# the kernel refuses the second map's new name: the first swap is undone
	run xctl module reload "$NAME" "$TWO" ops_name "mod_two_b=xz$UNIQ" init_ssthresh=9
	assert_status 1
	[[ $output == *"nothing was changed"* ]]
	ca_registered "xa$UNIQ"
	ca_registered "xb$UNIQ"
	! ca_registered "xz$UNIQ"
	after=$(xctl -j module list | jq -c --arg n "$NAME" '.[] | select(.name == $n) | .struct_ops')
	[ "$before" = "$after" ]
	# new connections with the first CA still get the old code
	net_setup
	connect "xa$UNIQ" c1
	[[ $(ss_info c1) == *"xa$UNIQ"* ]]
	[[ $(ss_info c1) == *"ssthresh:5"* ]]
	# a good reload swaps both
	run xctl module reload "$NAME" "$TWO" init_ssthresh=9
	assert_status 0
	connect "xb$UNIQ" c2
	[[ $(ss_info c2) == *"ssthresh:9"* ]]
	connect "xa$UNIQ" c3
	[[ $(ss_info c3) == *"ssthresh:9"* ]]
}

@test "module list shows a module whose link was detached behind its back; unload removes it" {
	run load_cc "$NAME"
	assert_status 0
	bpftool link detach pinned "$BPFFS/xctl/modules/$NAME/xctl_cc"
	ca_gone "$CA"
	run xctl -j module list
	assert_status 0
	assert_json
	[ "$(echo "$output" | jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state')" = detached ]
	# the detached link points at no map: null, not a made-up 0
	[ "$(echo "$output" | jq -r --arg n "$NAME" '.[] | select(.name == $n) | .struct_ops[0].map_id')" = null ]
	run xctl module reload "$NAME" "$CC_OBJ"
	assert_status 1
	[[ $output == *detached* ]]
	run xctl module unload "$NAME"
	assert_status 0
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
}

@test "module completion: verbs, loaded module names, object parameters" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	run load_cc "$NAME"
	assert_status 0
	run complete_words "$XCTL_BIN" module ""
	[ "$output" = "load list info unload reload set help" ]
	run complete_words "$XCTL_BIN" --bpffs "$BPFFS" module unload ""
	[ "$output" = "$NAME" ]
	run complete_words "$XCTL_BIN" module load "$CC_OBJ" ""
	[ "$output" = "name ops_name map non_restricted max_entries pin_root beta= init_ssthresh= slow_start= growth= label=" ]
	run complete_words "$XCTL_BIN" --bpffs "$BPFFS" module reload "$NAME" "$CC_OBJ" la
	[ "$output" = "label=" ]
	run complete_words "$XCTL_BIN" --bpffs "$BPFFS" module reload "$NAME" "$CC_OBJ" --d
	[ "$output" = "--defaults" ]
}

@test "module completion: enum enumerators and true/false after PARAM=" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	# bash splits at '=' (COMP_WORDBREAKS): readline replaces what follows
	# it, so the words offered are the values alone
	run complete_words "$XCTL_BIN" module load "$CC_OBJ" growth=
	[ "$output" = "XCTL_CC_RENO XCTL_CC_SCALABLE" ]
	run complete_words "$XCTL_BIN" module load "$CC_OBJ" growth=XCTL_CC_S
	[ "$output" = "XCTL_CC_SCALABLE" ]
	run complete_words "$XCTL_BIN" module load "$CC_OBJ" slow_start=
	[ "$output" = "true false" ]
	run complete_words "$XCTL_BIN" module reload "$NAME" "$CC_OBJ" slow_start=f
	[ "$output" = "false" ]
	# numbers and strings have no list
	run complete_words "$XCTL_BIN" module load "$CC_OBJ" beta=
	[ -z "$output" ]
	# the enumerators are the object's (bpftool reads the same BTF)
	[ "$(bpftool btf dump file "$CC_OBJ" | grep -A3 "ENUM 'xctl_cc_growth'" |
	     grep -o "'XCTL_CC_[A-Z]*'" | tr -d "'" | tr '\n' ' ')" = "XCTL_CC_RENO XCTL_CC_SCALABLE " ]
}

@test "module reload killed between swaps leaves everything registered; a new reload finishes" {
	TWO="$TESTS_BPF/mod_two.bpf.o"
	run xctl module load "$TWO" name "$NAME" ops_name "mod_two_a=xa$UNIQ" \
		ops_name "mod_two_b=xb$UNIQ" init_ssthresh=5
	assert_status 0
	reload_killed_at swapped:mod_two_a
	ca_registered "xa$UNIQ"
	ca_registered "xb$UNIQ"
	# one map runs the new object, one the old: no record describes that
	run xctl -j module list
	[ "$(echo "$output" | jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state')" = inconsistent ]
	run xctl module reload "$NAME" "$TWO" init_ssthresh=9
	assert_status 0
	run xctl -j module info "$NAME"
	[ "$(echo "$output" | jq '.parameters[] | select(.name == "init_ssthresh") | .value')" = 9 ]
	run xctl module unload "$NAME"
	assert_status 0
	ca_gone "xa$UNIQ"
	ca_gone "xb$UNIQ"
}

# Kill a reload after all its swaps but before its record is renamed into
# place (pause at the last swap), and before any swap (pause at "staged"):
# list and info must describe what the kernel runs.
reload_killed_at() {
	local pid
	XCTL_TEST_PAUSE_AT=$1 "$XCTL_TEST_BIN" --bpffs "$BPFFS" module reload \
		"$NAME" "$TWO" init_ssthresh=9 >/dev/null 2>&1 3>&- &
	pid=$!
	PIDS+=($pid)
	wait_stopped "$pid"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
}

@test "module reload killed after its swaps: the record shown is the one the kernel runs" {
	TWO="$TESTS_BPF/mod_two.bpf.o"
	run -0 xctl module load "$TWO" name "$NAME" ops_name "mod_two_a=xa$UNIQ" \
		ops_name "mod_two_b=xb$UNIQ" init_ssthresh=5
	reload_killed_at swapped:mod_two_b
	[ -e "$BPFFS/xctl/modules/$NAME/meta-new" ]
	run -0 xctl -j module list
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state' <<<"$output")" = loaded ]
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .parameters.init_ssthresh' <<<"$output")" = 9 ]
	# the oracle: the value of the running map (bpftool), its rodata says 9
	run -0 xctl -j module info "$NAME"
	[ "$(jq '.parameters[] | select(.name == "init_ssthresh") | .value' <<<"$output")" = 9 ]
	run -0 xctl module unload "$NAME"
	[ ! -e "$BPFFS/xctl/modules/$NAME" ]
}

@test "module reload killed before its swaps: the old record stays true" {
	TWO="$TESTS_BPF/mod_two.bpf.o"
	run -0 xctl module load "$TWO" name "$NAME" ops_name "mod_two_a=xa$UNIQ" \
		ops_name "mod_two_b=xb$UNIQ" init_ssthresh=5
	reload_killed_at staged
	run -0 xctl -j module list
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .state' <<<"$output")" = loaded ]
	[ "$(jq -r --arg n "$NAME" '.[] | select(.name == $n) | .parameters.init_ssthresh' <<<"$output")" = 5 ]
	run -0 xctl -j module info "$NAME"
	[ "$(jq '.parameters[] | select(.name == "init_ssthresh") | .value' <<<"$output")" = 5 ]
	# a new reload replaces the stale meta-new and completes
	run -0 xctl module reload "$NAME" "$TWO" init_ssthresh=7
	[ ! -e "$BPFFS/xctl/modules/$NAME/meta-new" ]
	run -0 xctl -j module info "$NAME"
	[ "$(jq '.parameters[] | select(.name == "init_ssthresh") | .value' <<<"$output")" = 7 ]
	run -0 xctl module unload "$NAME"
}

# The .rodata (parameters) the registered CA's programs read, as bpftool
# dumps it: the struct_ops map whose value names $CA, a program of that map,
# the program's .rodata map. Prints {"name": value, ...}.
module_rodata() {
	local id prog= ro
	# newest first: a replaced map may linger until the kernel frees it
	for id in $(bpftool -j struct_ops show | jq '.[] | select(.name == "xctl_cc") | .id' | sort -rn); do
		bpftool struct_ops dump id "$id" 2>/dev/null | grep -q "\"$CA\"" || continue
		prog=$(bpftool struct_ops dump id "$id" | grep -o 'prog_id:[0-9]*' | head -1 | cut -d: -f2)
		break
	done
	[ -n "$prog" ] || return 1
	for ro in $(bpftool -j prog show id "$prog" | jq '.map_ids[]'); do
		bpftool -j map show id "$ro" | jq -e '.name | endswith(".rodata")' >/dev/null || continue
		bpftool -j map dump id "$ro" |
			jq '.[0].formatted.value[".rodata"] | add'
		return
	done
	return 1
}

@test "module reload keeps parameters not given; --defaults returns to the object's defaults" {
	local ro
	run load_cc "$NAME" init_ssthresh=33 growth=XCTL_CC_SCALABLE
	assert_status 0
	ro=$(module_rodata)
	[ "$(jq .init_ssthresh <<<"$ro")" = 33 ]

	# only beta given: init_ssthresh and growth keep their values
	run xctl module reload "$NAME" "$CC_OBJ" beta=600
	assert_status 0
	ro=$(module_rodata)
	[ "$(jq .init_ssthresh <<<"$ro")" = 33 ]
	[ "$(jq -r .growth <<<"$ro")" = XCTL_CC_SCALABLE ]
	[ "$(jq .beta <<<"$ro")" = 600 ]
	[ "$(jq -r .label <<<"$ro")" = reno ]
	net_setup
	connect "$CA" c1
	[[ $(ss_info c1) == *"ssthresh:33"* ]]
	# info says which values differ from the object's defaults
	run xctl -j module info "$NAME"
	assert_status 0
	[ "$(jq -c '[.parameters[] | select(.differs) | .name] | sort' <<<"$output")" = \
	  '["beta","growth","init_ssthresh"]' ]
	[ "$(jq '.parameters[] | select(.name == "label") | .differs' <<<"$output")" = false ]
	run xctl module info "$NAME"
	assert_status 0
	# list shows what the module runs with
	run xctl -j module list
	[ "$(jq -c --arg n "$NAME" '.[] | select(.name == $n) | .parameters' <<<"$output")" = \
	  '{"init_ssthresh":33,"growth":"XCTL_CC_SCALABLE","beta":600}' ]

	# a value given replaces the kept one; the others stay
	run xctl module reload "$NAME" "$CC_OBJ" init_ssthresh=40
	assert_status 0
	ro=$(module_rodata)
	[ "$(jq .init_ssthresh <<<"$ro")" = 40 ]
	[ "$(jq .beta <<<"$ro")" = 600 ]

	# --defaults: everything not given is the object's default again
	run xctl module reload "$NAME" "$CC_OBJ" --defaults label=fresh
	assert_status 0
	ro=$(module_rodata)
	[ "$(jq .init_ssthresh <<<"$ro")" = 0 ]
	[ "$(jq -r .growth <<<"$ro")" = XCTL_CC_RENO ]
	[ "$(jq .beta <<<"$ro")" = 512 ]
	[ "$(jq -r .label <<<"$ro")" = fresh ]
	run xctl -j module info "$NAME"
	[ "$(jq -c '[.parameters[] | select(.differs) | .name]' <<<"$output")" = '["label"]' ]
	# --defaults belongs to reload only
	run xctl -j module load "$CC_OBJ" name "n$NAME" --defaults
	assert_status 2
}
