#!/usr/bin/env bats
# xctl xdp attach / detach: XDP programs held by a bpf_link pinned at
# BPFFS/xctl/xdp/DEV. Oracles: ip -j link (attached program and mode),
# bpftool link (the pinned link).
load helpers
bats_require_minimum_version 1.5.0

OBJ="$BATS_TEST_DIRNAME/../bpf/redir_pass.bpf.o"

setup() {
	common_setup
	make_netns attach >/dev/null
	NS="xt-$UNIQ-attach"
	ip -n "$NS" link add va type veth peer name vb
	ip -n "$NS" link set va up
	ip -n "$NS" link set vb up
}

teardown() {
	# a second bpffs some tests mount (its pins go with it)
	if [ -n "${TMPD:-}" ] && mountpoint -q "$TMPD/other" 2>/dev/null; then
		umount "$TMPD/other" 2>/dev/null || umount -l "$TMPD/other"
	fi
	common_teardown
}

xn() { xctl -N "$NS" "$@"; }

# "NAME/MODE" of the XDP program on $1 (mode as ip reports it), or "none".
xdp_prog() {
	ip -n "$NS" -j link show "$1" |
		jq -r 'if .[0].xdp then "\(.[0].xdp.prog.name)/\(.[0].xdp.mode)" else "none" end'
}

@test "attach pins a link that keeps the program attached after xctl exits" {
	run xn -j xdp attach va "$OBJ"
	assert_status 0
	assert_json
	[ "$(jq -r .prog.name <<<"$output")" = pass_a ]
	[ "$(jq -r .mode <<<"$output")" = native ]
	# xctl has exited; the kernel still runs the program (1 = native).
	[ "$(xdp_prog va)" = pass_a/1 ]
	[ -e "$BPFFS/xctl/xdp/va" ]
	run bpftool -j link show pinned "$BPFFS/xctl/xdp/va"
	[ "$status" -eq 0 ]
	[ "$(jq -r .type <<<"$output")" = xdp ]
	[ "$(jq -r .prog_id <<<"$output")" = \
	  "$(ip -n "$NS" -j link show va | jq -r '.[0].xdp.prog.id')" ]
}

@test "attach selects a program by name and a mode" {
	run xn -j xdp attach va "$OBJ" prog pass_b mode generic
	assert_status 0
	assert_json
	[ "$(xdp_prog va)" = pass_b/2 ]
	[ "$(jq -r .mode <<<"$output")" = generic ]
}

@test "a program has one shape and its full name in attach, show and stats" {
	run xn -j xdp attach va "$OBJ" prog xdp_pass_with_a_long_name
	assert_status 0
	assert_json
	id=$(jq -r .prog.id <<<"$output")
	# the kernel keeps 15 characters (ip shows them); xctl shows the BTF name
	[ "$(xdp_prog va)" = xdp_pass_with_a/1 ]
	[ "$(jq -r .prog.name <<<"$output")" = xdp_pass_with_a_long_name ]
	tag=$(bpftool -j prog show id "$id" | jq -r .tag)
	[ -n "$tag" ] && [ "$(jq -r .prog.tag <<<"$output")" = "$tag" ]
	keys='["id","name","run_cnt","run_time_ns","tag"]'
	[ "$(jq -c '.prog | keys' <<<"$output")" = "$keys" ]
	run xn -j xdp show va
	assert_status 0
	[ "$(jq -c '.[0].progs[0] | del(.mode, .link, .dev_bound) | keys' <<<"$output")" = "$keys" ]
	[ "$(jq -r '.[0].progs[0].name' <<<"$output")" = xdp_pass_with_a_long_name ]
	[ "$(jq -r '.[0].progs[0].id' <<<"$output")" = "$id" ]
	run xn -j xdp stats va
	assert_status 0
	[ "$(jq -c '.[0].xdp.prog | keys' <<<"$output")" = "$keys" ]
	[ "$(jq -r '.[0].xdp.prog.name' <<<"$output")" = xdp_pass_with_a_long_name ]
	run xn -j xdp detach va
	assert_status 0
	[ "$(jq -c '.detached | keys' <<<"$output")" = "$keys" ]
	[ "$(jq -r .detached.name <<<"$output")" = xdp_pass_with_a_long_name ]
}

@test "attaching over a program is refused without --replace; --replace swaps it" {
	run xn -j xdp attach va "$OBJ" prog pass_a
	assert_status 0
	run xn -j xdp attach va "$OBJ" prog pass_b
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"already attached"* ]]
	[ "$(xdp_prog va)" = pass_a/1 ]
	run xn -j xdp attach va "$OBJ" prog pass_b --replace
	assert_status 0
	[ "$(jq -r .replaced.name <<<"$output")" = pass_a ]
	[ "$(xdp_prog va)" = pass_b/1 ]
	[ -e "$BPFFS/xctl/xdp/va" ]
}

@test "a foreign program is refused without --replace and replaced with it" {
	ip -n "$NS" link set vb xdpgeneric obj "$OBJ" sec xdp
	local foreign
	foreign=$(xdp_prog vb)
	run xn -j xdp attach vb "$OBJ" prog pass_b
	assert_status 1
	assert_json
	[ "$(xdp_prog vb)" = "$foreign" ]
	[ ! -e "$BPFFS/xctl/xdp/vb" ]
	run xn -j xdp attach vb "$OBJ" prog pass_b --replace
	assert_status 0
	[ "$(xdp_prog vb)" = pass_b/1 ]
}

@test "detach removes xctl's link; a foreign program needs --force" {
	run xn -j xdp attach va "$OBJ"
	assert_status 0
	run xn -j xdp detach va
	assert_status 0
	assert_json
	[ "$(xdp_prog va)" = none ]
	[ ! -e "$BPFFS/xctl/xdp/va" ]

	ip -n "$NS" link set vb xdpdrv obj "$OBJ" sec xdp
	run xn -j xdp detach vb
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"not attached by xctl"* ]]
	[ "$(xdp_prog vb)" != none ]
	run xn -j xdp detach vb --force
	assert_status 0
	assert_json
	[ "$(xdp_prog vb)" = none ]
}

@test "detach --force also removes a foreign bpf_link" {
	run xn -j xdp attach va "$OBJ"
	assert_status 0
	# Make the link foreign: xctl's pin is gone, another pin holds it.
	mkdir "$BPFFS/other"
	mv "$BPFFS/xctl/xdp/va" "$BPFFS/other/va"
	run xn -j xdp detach va
	assert_status 1
	[ "$(xdp_prog va)" = pass_a/1 ]
	run xn -j xdp detach va --force
	assert_status 0
	[ "$(xdp_prog va)" = none ]
}

# xctl's tree is never followed through a link (issue 9): a symbolic link
# where xctl expects its own pin or directory is refused, and what it points
# at (another bpffs's link, a file outside bpffs) stays as it was.

# ID of the XDP program on $1 (ip), or "none".
prog_id() {
	ip -n "$NS" -j link show "$1" | jq -r '.[0].xdp.prog.id // "none"'
}

# A second bpffs at $TMPD/other holding xctl's link of vb.
other_bpffs_link() {
	mkdir "$TMPD/other"
	mount -t bpf bpf "$TMPD/other"
	run -0 "$XCTL_BIN" --bpffs "$TMPD/other" -N "$NS" xdp attach vb "$OBJ" prog pass_b
	[ -e "$TMPD/other/xctl/xdp/vb" ]
}

@test "a link at xdp/DEV to another bpffs's pin: attach, detach and show refuse, that link stays" {
	local va_id vb_id
	other_bpffs_link
	vb_id=$(prog_id vb)
	# va attached by xctl, its pin moved aside (it keeps the link) and a
	# link to the other bpffs's pin of vb put in its place
	run -0 xn xdp attach va "$OBJ"
	va_id=$(prog_id va)
	mv "$BPFFS/xctl/xdp/va" "$BPFFS/va-saved"
	ln -s "$TMPD/other/xctl/xdp/vb" "$BPFFS/xctl/xdp/va"
	run -1 xn xdp detach va
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va: it is a symbolic link, not a pin"* ]]
	run -1 xn xdp detach va --force
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va"* ]]
	run -1 xn xdp attach va "$OBJ" prog pass_b --replace
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va"* ]]
	run -1 xn xdp show
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va"* ]]
	run -1 xn xdp show va
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va"* ]]
	# nothing changed: both programs, the other bpffs's pin, the link itself
	[ "$(prog_id va)" = "$va_id" ]
	[ "$(prog_id vb)" = "$vb_id" ]
	[ -L "$BPFFS/xctl/xdp/va" ]
	run -0 bpftool -j link show pinned "$TMPD/other/xctl/xdp/vb"
	[ "$(jq -r .prog_id <<<"$output")" = "$vb_id" ]
	# with the pin back, all is xctl's again
	rm "$BPFFS/xctl/xdp/va"
	mv "$BPFFS/va-saved" "$BPFFS/xctl/xdp/va"
	run -0 xn xdp detach va
	[ "$(prog_id va)" = none ]
	[ "$(prog_id vb)" = "$vb_id" ]
}

@test "a link at xdp/DEV to a file outside bpffs: attach and detach refuse, the file stays" {
	mkdir -p "$TMPD/outside" "$BPFFS/xctl/xdp"
	echo keep >"$TMPD/outside/file"
	ln -s "$TMPD/outside/file" "$BPFFS/xctl/xdp/va"
	run -1 xn xdp attach va "$OBJ"
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va: it is a symbolic link, not a pin"* ]]
	[ "$(prog_id va)" = none ]
	ip -n "$NS" link set va xdpdrv obj "$OBJ" sec xdp
	run -1 xn xdp detach va --force
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va"* ]]
	[ "$(prog_id va)" != none ]
	[ "$(cat "$TMPD/outside/file")" = keep ]
	[ -L "$BPFFS/xctl/xdp/va" ]
}

@test "a map pinned at xdp/DEV is not taken for xctl's link: attach and detach refuse, the map stays" {
	mkdir -p "$BPFFS/xctl/xdp"
	bpftool map create "$BPFFS/xctl/xdp/va" type array key 4 value 4 entries 1 name xt_fake
	ip -n "$NS" link set va xdpdrv obj "$OBJ" sec xdp
	id=$(prog_id va)
	run -1 xn xdp detach va --force
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va: it is not an XDP link"* ]]
	run -1 xn xdp attach va "$OBJ" --replace
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp/va: it is not an XDP link"* ]]
	[ "$(prog_id va)" = "$id" ]
	run -0 bpftool -j map show pinned "$BPFFS/xctl/xdp/va"
	[ "$(jq -r .name <<<"$output")" = xt_fake ]
}

@test "xctl/xdp itself a link to another bpffs: attach, detach and show refuse, nothing pinned there" {
	local vb_id
	other_bpffs_link
	vb_id=$(prog_id vb)
	mkdir -p "$BPFFS/xctl"
	ln -s "$TMPD/other/xctl/xdp" "$BPFFS/xctl/xdp"
	run -1 xn xdp attach va "$OBJ"
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp"*"a component of it is a symbolic link"* ]]
	[ "$(prog_id va)" = none ]
	[ ! -e "$TMPD/other/xctl/xdp/va" ]
	run -1 xn xdp detach vb
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp: a component of it is a symbolic link"* ]]
	run -1 xn xdp show
	[[ "$output" == *"refusing to use $BPFFS/xctl/xdp: a component of it is a symbolic link"* ]]
	[ "$(prog_id vb)" = "$vb_id" ]
	[ -e "$TMPD/other/xctl/xdp/vb" ]
	[ "$(ls "$TMPD/other/xctl/xdp")" = vb ]
}

@test "bad input: exact exit codes, valid JSON, nothing attached" {
	printf 'not an ELF file\n' > "$TMPD/junk.o"
	run xn -j xdp attach va
	assert_status 2
	assert_json
	run xn -j xdp attach
	assert_status 2
	assert_json
	run xn -j xdp attach nosuchdev0 "$OBJ"
	assert_status 1
	assert_json
	run xn -j xdp attach va "$TMPD/missing.o"
	assert_status 1
	assert_json
	run xn -j xdp attach va "$TMPD/junk.o"
	assert_status 1
	assert_json
	run xn -j xdp attach va "$TESTS_BPF/redir_notxdp.bpf.o"
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"no XDP program"* ]]
	run xn -j xdp attach va "$OBJ" prog sock_all
	assert_status 1
	assert_json
	[[ "$(jq -r .error.message <<<"$output")" == *"not an XDP program"* ]]
	run xn -j xdp attach va "$OBJ" prog nosuchprog
	assert_status 1
	assert_json
	run xn -j xdp attach va "$OBJ" mode turbo
	assert_status 2
	assert_json
	run xn -j xdp attach va "$OBJ" --frobnicate
	assert_status 2
	assert_json
	run xn -j xdp detach
	assert_status 2
	assert_json
	run xn -j xdp detach va
	assert_status 1
	assert_json
	run xn -j xdp detach va --frobnicate
	assert_status 2
	assert_json
	[ "$(xdp_prog va)" = none ]
	[ ! -e "$BPFFS/xctl/xdp/va" ]
}

@test "xdp completion: verbs, stats options, redirect/metadata subcommands, options, devices" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	run complete_words "$XCTL_BIN" xdp ""
	[ "$output" = "stats show features redirect metadata attach detach help" ]
	run complete_words "$XCTL_BIN" xdp stats --w
	[ "$output" = "--watch" ]
	run complete_words "$XCTL_BIN" xdp features ""
	[[ " $output " == *" lo "* ]]
	run complete_words "$XCTL_BIN" xdp redir ""
	[ "$output" = "setup show teardown help" ]
	run complete_words "$XCTL_BIN" xdp redirect setup lo ""
	[ "$output" = "--rings --size --dry-run" ]
	run complete_words "$XCTL_BIN" xdp redirect show ""
	[[ " $output " == *" --all "* && " $output " == *" lo "* ]]
	run complete_words "$XCTL_BIN" xdp metadata enable lo ""
	[ "$output" = timestamp ]
	run complete_words "$XCTL_BIN" xdp attach lo x.o mode ""
	[ "$output" = "native generic offload" ]
	run complete_words "$XCTL_BIN" xdp detach lo ""
	[ "$output" = --force ]
}

@test "completion: devices of the -N namespace; the XDP programs of OBJ after prog" {
	[ -r /usr/share/bash-completion/bash_completion ] || skip "bash-completion not installed"
	local w
	# the namespace's devices (ip's oracle), not the host's
	run complete_words "$XCTL_BIN" -N "$NS" xdp features ""
	[ "$(tr ' ' '\n' <<<"$output" | grep -v '^ifindex$' | sort | tr '\n' ' ')" = \
	  "$(ip -n "$NS" -j link show | jq -r '.[].ifname' | sort | tr '\n' ' ')" ]
	run complete_words "$XCTL_BIN" --netns "$NS" xdp attach v
	[ "$(xargs -n1 <<<"$output" | sort | xargs)" = "va vb" ]
	run complete_words "$XCTL_BIN" -N "$NS" xdp stats --all v
	[ "$(xargs -n1 <<<"$output" | sort | xargs)" = "va vb" ]
	# prog NAME: the object's XDP programs (its socket filter is not one);
	# oracle: the functions of the object's "xdp" section
	local want
	want=$(llvm-objdump -t "$OBJ" | awk '$3 == "F" && $4 == "xdp" { print $NF }' | sort | xargs)
	[[ " $want " == *" pass_a pass_b "* ]]
	run complete_words "$XCTL_BIN" -N "$NS" xdp attach va "$OBJ" prog ""
	[ "$(xargs -n1 <<<"$output" | sort | xargs)" = "$want" ]
	[[ " $output " != *" sock_all "* ]]
	run complete_words "$XCTL_BIN" -N "$NS" xdp attach ifindex 3 "$OBJ" mode native prog pass_
	[ "$output" = "pass_a pass_b" ]
	run complete_words "$XCTL_BIN" -N "$NS" xdp attach va "$TESTS_BPF/missing.bpf.o" prog ""
	[ -z "$output" ]
}

@test "a same-named device in another namespace never touches this one's link" {
	local ns2="xt-$UNIQ-other" a_link
	make_netns other >/dev/null
	ip -n "$ns2" link add va type veth peer name vb
	ip -n "$ns2" link set va up
	ip -n "$ns2" link set vb up
	# same names, same ifindex in both namespaces, one shared bpffs
	[ "$(ip -n "$NS" -j link show va | jq '.[0].ifindex')" = \
	  "$(ip -n "$ns2" -j link show va | jq '.[0].ifindex')" ]
	run xn -j xdp attach va "$OBJ"
	assert_status 0
	a_link=$(jq .link_id <<<"$output")
	ip -n "$ns2" link set va xdpgeneric obj "$OBJ" sec xdp
	run xctl -j -N "$ns2" xdp attach va "$OBJ" prog pass_b --replace
	assert_status 1
	assert_json
	[ "$(jq .error.errno <<<"$output")" = 17 ]
	run xctl -j -N "$ns2" xdp detach va
	assert_status 1
	# the first namespace's program and pinned link are untouched
	[ "$(xdp_prog va)" = pass_a/1 ]
	[ "$(bpftool -j link show pinned "$BPFFS/xctl/xdp/va" | jq .id)" = "$a_link" ]
	[ "$(ip -n "$ns2" -j link show va | jq -r '.[0].xdp.prog.name')" = pass_a ]
}

@test "mode aliases of ip and xdp-loader attach in the mode ip reports" {
	local m word want
	# ip -j link: mode 1 = native (drv), 2 = generic (skb)
	for m in skb:2 xdpgeneric:2 drv:1 xdpdrv:1 native:1 generic:2; do
		word=${m%%:*}
		want=${m##*:}
		run xn -j xdp attach va "$OBJ" prog pass_a mode "$word"
		assert_status 0
		[ "$(xdp_prog va)" = "pass_a/$want" ]
		run xn xdp detach va
		assert_status 0
		[ "$(xdp_prog va)" = none ]
	done
	# offload: understood (not a usage error), refused by veth, nothing attached
	for word in hw xdpoffload offload; do
		run xn -j xdp attach va "$OBJ" prog pass_a mode "$word"
		assert_status 1
		[ "$(xdp_prog va)" = none ]
	done
	run xn -j xdp attach va "$OBJ" mode xdp
	assert_status 2
	[[ "$(jq -r .error.message <<<"$output")" == *"skb, drv, hw"* ]]
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl xdp help'" ]
}

@test "xdp attach, show and stats name a program by its full BTF name, as bpftool does" {
	local long="$TESTS_BPF/xdp_long_name.bpf.o" id ipname
	run xn -j xdp attach va "$long"
	assert_status 0
	[ "$(jq -r .prog.name <<<"$output")" = xdp_pass_with_a_long_name ]
	id=$(jq -r .prog.id <<<"$output")
	# the kernel keeps 15 characters (what ip shows); bpftool reads BTF
	ipname=$(ip -n "$NS" -j link show va | jq -r '.[0].xdp.prog.name')
	[ "${#ipname}" -eq 15 ]
	[[ xdp_pass_with_a_long_name == "$ipname"* ]]
	[ "$(bpftool -j prog show id "$id" | jq -r .name)" = xdp_pass_with_a_long_name ]
	run xn -j xdp show va
	assert_status 0
	[ "$(jq -r '.[0].progs[0].name' <<<"$output")" = xdp_pass_with_a_long_name ]
	run xn -j xdp stats va
	assert_status 0
	[ "$(jq -r '.[0].xdp.prog.name' <<<"$output")" = xdp_pass_with_a_long_name ]
	run xn -j control lookup prog id "$id"
	assert_status 0
	[ "$(jq -r .key.name <<<"$output")" = xdp_pass_with_a_long_name ]
	run xn xdp show va
	assert_status 0
	[[ "$output" == *"xdp_pass_with_a_long_name"* ]]
	run xn -j xdp detach va
	assert_status 0
	[ "$(jq -r .detached.name <<<"$output")" = xdp_pass_with_a_long_name ]
}
