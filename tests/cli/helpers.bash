# Shared setup for the CLI tests (bats). Every test runs the built ./xctl
# against the real kernel, as root, with:
#   - a private bpffs mounted on a temporary directory ($BPFFS), passed to
#     xctl with --bpffs (use the xctl wrapper below);
#   - unique names for anything global ($UNIQ: netns, tcp CA names);
#   - teardown that removes everything, also when the test failed.
# A test file that needs more cleanup defines its own teardown() and calls
# common_teardown from it.

XCTL_BIN="${XCTL_BIN:-${BATS_TEST_DIRNAME}/../../xctl}"
# xctl on a test build of the library: fault-injection points (XCTL_TEST_PAUSE_AT)
XCTL_TEST_BIN="${XCTL_TEST_BIN:-${BATS_TEST_DIRNAME}/../../build/xctl-test}"
SCHEMA_DIR="${BATS_TEST_DIRNAME}/../../schema"
TESTS_BPF="${BATS_TEST_DIRNAME}/../bpf"
EXAMPLES="${BATS_TEST_DIRNAME}/../../examples"

common_setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	# 10 characters: short enough for a tcp CA name (15 max) with a prefix.
	UNIQ="$(printf '%04x%06x' $$ $((RANDOM * 32768 + RANDOM)) | cut -c1-10)"
	TMPD="$(mktemp -d "${BATS_TMPDIR:-/tmp}/xctl-test.XXXXXX")"
	BPFFS="$TMPD/bpffs"
	mkdir -p "$BPFFS"
	mount -t bpf bpf "$BPFFS"
	NETNS_LIST=()
	HOST_LOCK_FDS=()
	JSON_RECORDS="$TMPD/json-records"
	mkdir -p "$JSON_RECORDS"
}

# xctl with the private bpffs. With -j or -p, stdout is also recorded and
# common_teardown validates it against the command's schema (schema/).
xctl() {
	xctl_bin --bpffs "$BPFFS" "$@"
}

# ./xctl with exactly the given arguments; -j/-p output is recorded for the
# schema check like xctl's.
xctl_bin() {
	local a json=0 out rc
	for a in "$@"; do
		case $a in -j|--json|-p|--pretty) json=1 ;; esac
	done
	if [ $json -eq 0 ] || [ -z "${JSON_RECORDS:-}" ]; then
		"$XCTL_BIN" "$@"
		return
	fi
	out=$("$XCTL_BIN" "$@")
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out"
	record_json "$rc" "$out" "$@"
	return $rc
}

# record_json RC STDOUT ARGS...: record one -j invocation run some other way
# (capsh, a background job) for the schema check at teardown.
record_json() {
	local rc=$1 out=$2 f
	shift 2
	f=$(mktemp "$JSON_RECORDS/XXXXXX") || return 1
	printf '%s\0' "$@" >"$f.argv"
	printf '%s\n' "$rc" >"$f.rc"
	printf '%s' "$out" >"$f.out"
	rm -f "$f"
}

# The python3 with jsonschema: Debian's (tools/deps.sh installs
# python3-jsonschema), else the first on PATH.
json_python() {
	if [ -d /usr/lib/python3/dist-packages/jsonschema ] && [ -x /usr/bin/python3 ]; then
		echo /usr/bin/python3
	else
		echo python3
	fi
}

# Validate every recorded -j document against its schema; prints what does
# not match (a missing schema included) and fails.
check_json_records() {
	[ -n "${JSON_RECORDS:-}" ] && [ -d "$JSON_RECORDS" ] || return 0
	[ -n "$(ls -A "$JSON_RECORDS")" ] || return 0
	"$(json_python)" "$BATS_TEST_DIRNAME/check_json.py" "$SCHEMA_DIR" "$JSON_RECORDS"
}

# Create a network namespace named xt-$UNIQ-$1 and print its name. Teardown
# removes every xt-$UNIQ-* namespace, so `ns=$(make_netns a)` is safe.
make_netns() {
	local ns="xt-$UNIQ-$1"
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	NETNS_LIST+=("$ns")
	echo "$ns"
}

# unique_sym OBJ NAME: a copy of OBJ in $TMPD whose global variable or
# function NAME (a struct_ops map or a program: the kernel names them after
# it) is renamed to a name of the same length unique to this test, for tests
# that select or look for a map or program by name. Sets UNIQ_OBJ and
# UNIQ_SYM (NAME's head, then the end of $UNIQ).
unique_sym() {
	local n=${#2} keep
	keep=$((n > 10 ? n - 10 : 1))
	[ "$n" -ge 2 ] || { echo "unique_sym: name $2 too short" >&2; return 1; }
	UNIQ_SYM="${2:0:keep}${UNIQ: -$((n - keep))}"
	UNIQ_OBJ="$TMPD/$UNIQ_SYM.bpf.o"
	"$BATS_TEST_DIRNAME/../tools/rename_sym.py" "$1" "$2" "$UNIQ_SYM" "$UNIQ_OBJ"
}

# Kill and reap the background processes a test recorded in PIDS (servers,
# sockets holding a CA, paused xctl-test runs): for teardown().
reap_pids() {
	local p
	for p in "${PIDS[@]:-}"; do
		# SIGCONT too, for one stopped at a pause point
		[ -n "$p" ] && kill -9 "$p" 2>/dev/null && kill -CONT "$p" 2>/dev/null
	done
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && wait "$p" 2>/dev/null
	done
	return 0
}

# host_lock NAME: take turns at host-wide state NAME that a test changes or
# depends on (kernel.bpf_stats_enabled: "bpf-stats") with every other run of
# the suite on this host (CI runs three side by side): an exclusive flock(2)
# on /run/lock/xctl-test-NAME.lock, held until common_teardown, which
# releases it after the test's own teardown has restored the state. Waits
# at most 300 s.
host_lock() {
	local fd
	mkdir -p /run/lock
	exec {fd}>>"/run/lock/xctl-test-$1.lock" || return 1
	HOST_LOCK_FDS+=("$fd")
	flock -w 300 "$fd" || { echo "host lock $1: still held by another run after 300 s" >&2; return 1; }
}

# Remove every link pinned below the private bpffs and unmount it: closing the
# last reference to a struct_ops link unregisters it.
common_teardown() {
	local ns fd schema_rc=0
	check_json_records >&2 || schema_rc=1
	if [ -n "${UNIQ:-}" ]; then
		for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
			case $ns in "xt-$UNIQ-"*) ip netns del "$ns" 2>/dev/null ;; esac
		done
	fi
	if [ -n "${BPFFS:-}" ] && mountpoint -q "$BPFFS"; then
		rm -rf "${BPFFS:?}"/* 2>/dev/null
		umount "$BPFFS" 2>/dev/null || umount -l "$BPFFS"
	fi
	# a second bpffs a test mounted in its directory (left by a failure):
	# emptied first, so that its pins release what they hold
	if [ -n "${TMPD:-}" ]; then
		local m
		for m in $(awk -v p="$TMPD/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
			rm -rf "${m:?}"/* 2>/dev/null
			umount "$m" 2>/dev/null || umount -l "$m"
		done
	fi
	[ -n "${TMPD:-}" ] && rm -rf "$TMPD"
	# unlock (not only close: a leftover child may share the descriptor)
	for fd in "${HOST_LOCK_FDS[@]:-}"; do
		[ -n "$fd" ] && flock -u "$fd" && exec {fd}>&-
	done
	HOST_LOCK_FDS=()
	return $schema_rc
}

# Wait (bounded) until process $1 is stopped (state T in /proc/PID/stat):
# a build/xctl-test command at its XCTL_TEST_PAUSE_AT point.
wait_stopped() {
	local i
	for i in $(seq 100); do
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = T ] && return 0
		sleep 0.1
	done
	echo "process $1 never reached its pause point" >&2
	return 1
}

# What bash completion offers for the command line "$@" (last word: the one
# being completed), through completions/xctl and bash-completion.
complete_words() {
	bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
		_xctl; echo "${COMPREPLY[*]}"' _ "$BATS_TEST_DIRNAME/../../completions/xctl" "$@"
}

# Assert that $output is one valid JSON document.
assert_json() {
	printf '%s' "$output" | jq -e . >/dev/null || {
		echo "not valid JSON: $output" >&2
		return 1
	}
}

# Assert the exit status of the last `run`.
assert_status() {
	[ "$status" -eq "$1" ] || {
		echo "expected exit $1, got $status; output: $output" >&2
		return 1
	}
}
