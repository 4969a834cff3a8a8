#!/usr/bin/env bats
# xctl batch file: many commands in one process. Oracles: the kernel's list
# of TCP congestion controls (/proc) for what the lines did, jq for the JSON
# array, and the private bpffs.

load helpers

CC_OBJ="$EXAMPLES/cc.bpf.o"
AVAIL=/proc/sys/net/ipv4/tcp_available_congestion_control

setup() {
	common_setup
	BATCH="$TMPD/cmds"
}

teardown() {
	common_teardown
}

ca_registered() {
	grep -qw -- "$1" "$AVAIL"
}

@test "batch file runs every line in order, skipping comments and blank lines" {
	cat > "$BATCH" <<-EOF
	# load two modules, then list them
	module load '$CC_OBJ' name a$UNIQ ops_name xa$UNIQ

	module load "$CC_OBJ" name b$UNIQ ops_name xb$UNIQ   # a trailing comment
	module list
	EOF
	run xctl batch file "$BATCH"
	assert_status 0
	ca_registered "xa$UNIQ"
	ca_registered "xb$UNIQ"
	[ -d "$BPFFS/xctl/modules/a$UNIQ" ]
	[ -d "$BPFFS/xctl/modules/b$UNIQ" ]
	# text mode prints each command's own output
	[[ $output == *"b$UNIQ"*"loaded"* ]]
}

@test "batch file -j prints one JSON array of results, one per command run" {
	cat > "$BATCH" <<-EOF
	version
	module load $CC_OBJ name a$UNIQ ops_name xa$UNIQ
	module info a$UNIQ
	EOF
	run xctl -j batch file "$BATCH"
	assert_status 0
	assert_json
	[ "$(jq length <<<"$output")" -eq 3 ]
	[ "$(jq -c '[.[].line]' <<<"$output")" = "[1,2,3]" ]
	[ "$(jq -c '[.[].status]' <<<"$output")" = "[0,0,0]" ]
	[ "$(jq -r '.[1].args[0:2] | join(" ")' <<<"$output")" = "module load" ]
	[ "$(jq -r '.[1].result.name' <<<"$output")" = "a$UNIQ" ]
	[ "$(jq -r '.[2].result.name' <<<"$output")" = "a$UNIQ" ]
	[ "$(jq -r '.[0].result.kernel.release' <<<"$output")" = "$(uname -r)" ]
	[ "$(jq '[.[].error] | map(select(. != null)) | length' <<<"$output")" -eq 0 ]
	ca_registered "xa$UNIQ"
}

@test "batch file stops at the first failure; --keep-going runs the rest" {
	cat > "$BATCH" <<-EOF
	module load $CC_OBJ name a$UNIQ ops_name xa$UNIQ
	module load $TMPD/missing.bpf.o name m$UNIQ
	module load $CC_OBJ name b$UNIQ ops_name xb$UNIQ
	EOF
	run xctl batch file "$BATCH"
	assert_status 1
	[[ $output == *"$BATCH:2: cannot open object"* ]]
	ca_registered "xa$UNIQ"
	! ca_registered "xb$UNIQ"

	run xctl -j batch file "$BATCH" --keep-going
	assert_status 1
	assert_json
	[ "$(jq -c '[.[].status]' <<<"$output")" = "[1,1,0]" ]
	# line 1 again: the module is loaded already
	jq -e '.[0].error.message | test("is loaded or being loaded")' <<<"$output"
	jq -e '.[1].error.message | test("missing.bpf.o")' <<<"$output"
	[ "$(jq -r '.[1].line' <<<"$output")" = 2 ]
	ca_registered "xb$UNIQ"
}

@test "batch file reads standard input" {
	run bash -c "printf 'module load %s name a%s ops_name xa%s\n' '$CC_OBJ' $UNIQ $UNIQ |
		'$XCTL_BIN' --bpffs '$BPFFS' batch file -"
	assert_status 0
	ca_registered "xa$UNIQ"
}

@test "batch: bad lines and bad usage are clear errors" {
	printf 'version\nversion -j\n' > "$BATCH"
	run xctl batch file "$BATCH"
	assert_status 2
	[[ $output == *"$BATCH:2: global option '-j' in a batch line"* ]]

	printf "module load 'unterminated\n" > "$BATCH"
	run xctl -j batch file "$BATCH"
	assert_status 2
	assert_json
	jq -e '.[0].error.message | test("unterminated single quote")' <<<"$output"

	printf 'batch file x\n' > "$BATCH"
	run xctl batch file "$BATCH"
	assert_status 2
	[[ $output == *"cannot run inside a batch file"* ]]

	run xctl batch file "$TMPD/nosuch"
	assert_status 1
	[[ $output == *"cannot open batch file $TMPD/nosuch: No such file or directory"* ]]

	run xctl -j batch file
	assert_status 2
	assert_json
	run xctl batch nosuch
	assert_status 2
	[[ $output == *"unknown command 'nosuch' for batch"* ]]
}

@test "batch: an empty file runs nothing and -j prints []" {
	: > "$BATCH"
	run xctl -j batch file "$BATCH"
	assert_status 0
	[ "$output" = "[]" ]
}

@test "batch completion: file, then a file name and --keep-going" {
	run complete_words "$XCTL_BIN" batch ""
	[ "$output" = "file help" ]
	run complete_words "$XCTL_BIN" batch file x --
	[ "$output" = "--keep-going" ]
	run complete_words "$XCTL_BIN" b
	[ "$output" = "batch" ]
}
