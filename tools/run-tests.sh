#!/usr/bin/env bash
# Run every test suite: the cmocka unit tests given as arguments, then the
# bats CLI tests against the real kernel. Ends with "N passed, N failed" and
# exits non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() {	# count TAP results in $log, echoing failures; $1: start (SECONDS)
	local p f
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	grep -A 15 '^not ok ' "$log" | grep -v '^ok ' || true
	passed=$((passed + p))
	failed=$((failed + f))
	echo "  $p passed, $f failed ($((SECONDS - $1)) s)"
}

for t in "$@"; do
	echo "== unit: $(basename "$t")"
	start=$SECONDS
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
	rc=$?
	count "$start"
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "  $(basename "$t") exited $rc without a TAP failure:"
		tail -n 20 "$log"
		failed=$((failed + 1))
	fi
done

suites=$(ls tests/cli/*.bats 2>/dev/null)
if [ -n "$suites" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "== cli: needs root (real kernel, namespaces, bpffs): run 'sudo make check'"
		failed=$((failed + 1))
	else
		for s in $suites; do
			echo "== cli: $(basename "$s")"
			start=$SECONDS
			timeout 600 bats --tap "$s" >"$log" 2>&1
			rc=$?
			count "$start"
			if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$log"; then
				echo "  $(basename "$s") exited $rc without a TAP failure:"
				tail -n 20 "$log"
				failed=$((failed + 1))
			fi
		done
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
