#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The schemas themselves: each one validates on its own (no reference into
# another file), and its copies of defs.json are current.

load helpers

@test "schemas are self-contained and their copies of defs.json are current" {
	run python3 "$BATS_TEST_DIRNAME/../../tools/schema-bundle.py" --check
	assert_status 0
	run grep -rl --include='*.json' 'defs\.json#' "$BATS_TEST_DIRNAME/../../schema"
	[ "$status" -eq 1 ]
}

@test "a schema that refers into defs.json is found by the check" {
	local d
	d=$(mktemp -d)
	cp -r "$BATS_TEST_DIRNAME/../../schema/." "$d/"
	python3 - "$d/version.json" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
s["properties"]["xctl"] = {"$ref": "defs.json#/$defs/name"}
json.dump(s, open(p, "w"))
PY
	run python3 "$BATS_TEST_DIRNAME/../../tools/schema-bundle.py" --check "$d"
	rm -rf "$d"
	assert_status 1
	[[ "$output" == *version.json* ]]
}

@test "a live document validates against one schema file alone" {
	run python3 -c '
import json, subprocess, sys, jsonschema
doc = json.loads(subprocess.run([sys.argv[1], "-j", "version"], capture_output=True, text=True).stdout)
jsonschema.validate(doc, json.load(open(sys.argv[2])))' "$XCTL_BIN" "$BATS_TEST_DIRNAME/../../schema/version.json"
	assert_status 0
}
