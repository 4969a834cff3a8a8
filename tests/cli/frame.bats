#!/usr/bin/env bats
# The CLI frame: dispatch, prefixes, help, global options, exit codes, errors.
load helpers
bats_require_minimum_version 1.5.0

setup() { common_setup; }
teardown() { common_teardown; }

@test "version prints xctl and libbpf versions and kernel features" {
	run xctl -j version
	assert_status 0
	assert_json
	# the libbpf the dynamic loader gives ./xctl (the distribution's, or
	# LIBBPF_DIR's through the rpath): libbpf.so.MAJOR.MINOR.PATCH
	local so
	so=$(ldd "$XCTL_BIN" | awk '$1 ~ /^libbpf\.so/ { print $3 }')
	so=$(basename "$(readlink -f "$so")")
	[ "$(jq -r .libbpf <<<"$output")" = "${so#libbpf.so.}" ]
	[[ "$(jq -r .libbpf_built_with <<<"$output")" =~ ^1\.[0-9]+$ ]]
	[ "$(jq -r .kernel.release <<<"$output")" = "$(uname -r)" ]
	[ "$(jq -r .kernel.btf <<<"$output")" = true ]
	[ "$(jq -r .kernel.bpffs_mounted <<<"$output")" = true ]
}

@test "keyword prefixes select the unique command" {
	run xctl -j ver
	assert_status 0
	assert_json
}

@test "unknown object is a usage error (exit 2) with a JSON error document" {
	run xctl -j no-such-object
	assert_status 2
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 22 ]
	[[ "$(jq -r .error.message <<<"$output")" == *"no-such-object"* ]]
}

@test "plain-mode errors go to stderr as 'xctl: error:'" {
	run --separate-stderr xctl no-such-object
	assert_status 2
	[ -z "$output" ]
	[[ "$stderr" == "xctl: error: unknown command 'no-such-object'"* ]]
}

@test "unknown global option is a usage error" {
	run xctl --frobnicate version
	assert_status 2
}

@test "help works at the top level, in JSON too" {
	run xctl help
	assert_status 0
	[[ "$output" == Usage:* ]]
	run xctl -j help
	assert_status 0
	assert_json
}

@test "no object prints usage and exits 2" {
	run xctl
	assert_status 2
}

@test "-N enters a network namespace; a missing one fails with exit 1" {
	run xctl -j -N "xt-$UNIQ-missing" version
	assert_status 1
	assert_json
	[ "$(jq -r .error.errno <<<"$output")" = 2 ]
}

@test "--no-mount with a directory that is not bpffs reports it" {
	mkdir -p "$TMPD/plain"
	run xctl_bin -j --no-mount --bpffs "$TMPD/plain" version
	assert_status 0
	[ "$(jq -r .kernel.bpffs_mounted <<<"$output")" = false ]
}

@test "one parser per grammar element: DEV and id|name|pinned read the same in every verb" {
	local v
	for v in "xdp stats" "xdp redirect show" "xdp metadata show" "xdp detach" \
		 "control lookup netdev"; do
		run xctl $v ifindex 0
		assert_status 2
		[[ $output == *"invalid ifindex '0'"* ]]
		run xctl $v ifindex
		assert_status 2
		[[ $output == *"missing argument after 'ifindex'"* ]]
		run xctl $v a-device-name-longer-than-15
		assert_status 2
		[[ $output == *"invalid device name 'a-device-name-longer-than-15'"* ]]
		run xctl $v ifindex 2147483000
		[[ $output == *"2147483000"* ]]
	done
	for v in "struct_ops dump" "struct_ops unregister" "control lookup prog"; do
		run xctl $v ident 3
		assert_status 2
		[[ $output == *"expected 'id N', 'name NAME' or 'pinned PATH'"* ]]
		run xctl $v id 4x
		assert_status 2
		[[ $output == *"id '4x'"* ]]
		run xctl $v name ""
		assert_status 2
		[[ $output == *"empty argument after 'name'"* ]]
		run xctl $v id
		assert_status 2
		[[ $output == *"missing argument after 'id'"* ]]
	done
}

@test "one parser per grammar element: ops_name [MAP=]NAME and K=V read the same in every verb" {
	local v w obj="$BATS_TEST_DIRNAME/../bpf/sops_cc.bpf.o"
	for v in "struct_ops register" "module load"; do
		for w in "=cc" "map="; do
			run xctl $v "$obj" ops_name "$w"
			assert_status 2
			[[ $output == *"invalid 'ops_name $w' (expected [MAP=]NAME)"* ]]
		done
	done
	run xctl module load "$obj" =3
	assert_status 2
	[[ $output == *"got '=3'"* ]]
	run xctl module set nosuchmod x
	assert_status 2
	[[ $output == *"expected VAR=VALUE, got 'x'"* ]]
	run xctl control update xdp lo =1
	assert_status 2
	[[ $output == *"expected FIELD=VALUE, got '=1'"* ]]
}

@test "-q prints nothing on success, for every kind of verb; failures still speak" {
	local cmd
	for cmd in "version" "module list" "struct_ops list" "struct_ops dump" "control types" \
		   "control dump netdev" "xdp show --all" "xdp stats --all" "xdp features" \
		   "xdp redirect show --all"; do
		run xctl -q $cmd
		assert_status 0
		[ -z "$output" ] || { echo "xctl -q $cmd printed: $output" >&2; false; }
		# a global option after the command too
		run xctl $cmd -q
		assert_status 0
		[ -z "$output" ]
	done
	run xctl -q module unload "m$UNIQ"
	assert_status 1
	[[ "$output" == *"xctl: error:"* ]]
	# -j asks for the document explicitly: -q does not take it away
	run xctl -q -j version
	assert_status 0
	assert_json
}

@test "usage errors point at the object's own help" {
	run xctl -j module load
	assert_status 2
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl module help'" ]
	run xctl -j xdp redirect setup
	assert_status 2
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl xdp redirect help'" ]
	run xctl -j struct_ops dump id x
	assert_status 2
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl struct_ops help'" ]
	run xctl -j control lookup
	assert_status 2
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl control help'" ]
	run xctl -j module frobnicate
	assert_status 2
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl module help'" ]
	run xctl -j --frobnicate version
	assert_status 2
	[ "$(jq -r .error.hint <<<"$output")" = "see 'xctl help'" ]
	run --separate-stderr xctl module unload
	assert_status 2
	[[ "$stderr" == *"hint: see 'xctl module help'"* ]]
	# and each object's help exists
	for o in module struct_ops control xdp "xdp redirect"; do
		run xctl $o help
		assert_status 0
		[[ "$output" == Usage:* ]]
	done
}

@test "schema check: a document of the wrong shape, or of a command without a schema, fails" {
	local rec="$TMPD/rec" py
	py=$(json_python)
	mkdir "$rec"
	JSON_RECORDS=$rec record_json 0 '{"xctl": 1, "libbpf": "1.1", "kernel": {}}' -j version
	run "$py" "$BATS_TEST_DIRNAME/check_json.py" "$SCHEMA_DIR" "$rec"
	assert_status 1
	[[ "$output" == *"schema/version.json"* ]]
	rm -f "$rec"/*
	JSON_RECORDS=$rec record_json 0 '[]' -j frobnicate list
	run "$py" "$BATS_TEST_DIRNAME/check_json.py" "$SCHEMA_DIR" "$rec"
	assert_status 1
	[[ "$output" == *"no schema for 'frobnicate list'"* ]]
	rm -f "$rec"/*
	JSON_RECORDS=$rec record_json 1 '{"error": {"message": "x: y", "errno": "22"}}' -j module list
	run "$py" "$BATS_TEST_DIRNAME/check_json.py" "$SCHEMA_DIR" "$rec"
	assert_status 1
	[[ "$output" == *"schema/error.json"* ]]
	# the real output passes
	rm -f "$rec"/*
	JSON_RECORDS=$rec record_json 0 "$("$XCTL_BIN" -j version)" -j version
	run "$py" "$BATS_TEST_DIRNAME/check_json.py" "$SCHEMA_DIR" "$rec"
	assert_status 0
}
