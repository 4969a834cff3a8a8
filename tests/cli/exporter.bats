#!/usr/bin/env bats
# xctl exporter against the real kernel. Oracles: promtool (Prometheus' own
# text-format checker), the prometheus_client OpenMetrics parser, ethtool -S
# (XDP counters, read before and after), ip/bpftool (program and link ids),
# tcp_available_congestion_control and sha256sum (modules), and a real
# Prometheus server scraping the exporter.
load helpers
bats_require_minimum_version 1.5.0

MOD_OBJ="$EXAMPLES/cc.bpf.o"
AVAIL=/proc/sys/net/ipv4/tcp_available_congestion_control

setup() {
	common_setup
	PIDS=()
	NSA=$(make_netns a)
	NSB=$(make_netns b)
	ip -n "$NSA" link add name v0 numtxqueues 2 numrxqueues 2 type veth \
		peer name v1 numtxqueues 2 numrxqueues 2 netns "$NSB"
	# no IPv6 chatter: only the pings below reach v1's XDP program
	ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$NSB" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$NSA" addr add 10.78.0.1/24 dev v0
	ip -n "$NSB" addr add 10.78.0.2/24 dev v1
	ip -n "$NSA" link set v0 up
	ip -n "$NSB" link set v1 up
	ip -n "$NSB" link set dev v1 xdpdrv obj "$EXAMPLES/xdp_count.bpf.o" sec xdp
	ip netns exec "$NSA" ping -c 3 -i 0.2 -q 10.78.0.2 >/dev/null
}

teardown() {
	local p
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && wait "$p" 2>/dev/null
	done
	[ -n "${NAME:-}" ] && xctl module unload "$NAME" --force >/dev/null 2>&1
	[ -n "${STATS_WAS:-}" ] && sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"
	common_teardown
}

# Sum of ethtool -S counters of $2 in netns $1 matching the regex $3.
ethsum() {
	ip netns exec "$1" ethtool -S "$2" | awk -v re="$3" '$1 ~ re { s += $2 } END { print s + 0 }'
}

# The value of the sample "$2" (name{labels} exactly as printed) in exposition $1.
sample() {
	awk -v s="$2" 'index($0, s " ") == 1 { print $NF }' <<<"$1"
}

# Start `xctl -N $NSB exporter --listen 127.0.0.1:0 "$@"`; set URL to its /metrics.
start_exporter() {
	local i
	"$XCTL_BIN" --bpffs "$BPFFS" -N "$NSB" exporter --listen 127.0.0.1:0 "$@" \
		>"$TMPD/exporter.out" 2>"$TMPD/exporter.err" &
	PIDS+=($!)
	for i in $(seq 100); do
		URL=$(awk '/^xctl exporter: serving / { print $NF }' "$TMPD/exporter.out")
		[ -n "$URL" ] && return 0
		sleep 0.05
	done
	echo "exporter did not start: $(cat "$TMPD/exporter.err")" >&2
	return 1
}

# Validate the JSON document on stdin against schema/exporter.json.
validate() {
	/usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validate(json.load(sys.stdin), schema,
                    format_checker=jsonschema.FormatChecker())
' "$BATS_TEST_DIRNAME/../../schema/exporter.json"
}

# curl inside the exporter's namespace.
get() {
	ip netns exec "$NSB" curl -sS --max-time 10 "$@"
}

@test "exporter --once: promtool accepts it; XDP counters equal ethtool's; info from ip" {
	local p0 b0 p1 b1 pk by id
	p0=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	b0=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_bytes:')
	run --separate-stderr xctl -N "$NSB" exporter --once
	p1=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	b1=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_bytes:')
	assert_status 0
	promtool check metrics <<<"$output"
	[ "$p0" -ge 3 ]
	pk=$(sample "$output" 'xctl_xdp_packets_total{device="v1",driver="veth"}')
	by=$(sample "$output" 'xctl_xdp_bytes_total{device="v1",driver="veth"}')
	[ "$pk" -ge "$p0" ] && [ "$pk" -le "$p1" ]
	[ "$by" -ge "$b0" ] && [ "$by" -le "$b1" ]
	# veth counts no XDP_PASS of its own: the series is absent, not 0
	! grep -q '^xctl_xdp_pass_total{device="v1"' <<<"$output"
	# every counter family is a counter named *_total, with HELP
	grep -q '^# TYPE xctl_xdp_packets_total counter$' <<<"$output"
	grep -q '^# HELP xctl_xdp_bytes_total ' <<<"$output"
	id=$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')
	grep -qx "xctl_xdp_info{device=\"v1\",driver=\"veth\",mode=\"native\",prog_id=\"$id\",prog_name=\"xdp_count\",prog_tag=\"$(bpftool -j prog show id "$id" | jq -r .tag)\"} 1" <<<"$output"
	# v0's peer has an XDP program: v0 accepts redirected frames (ndo-xmit)
	run --separate-stderr xctl -N "$NSA" exporter --once --collect xdp
	assert_status 0
	[ "$(sample "$output" 'xctl_xdp_redirect_target_ready{device="v0",driver="veth"}')" = 1 ]
	[ "$(sample "$output" 'xctl_xdp_redirect_target_ready{device="lo"}')" = 0 ]
}

@test "exporter --once: program run statistics equal bpftool's while BPF stats are on" {
	local id r0 r1 runs t
	host_lock bpf-stats
	id=$(ip -n "$NSB" -j link show v1 | jq '.[0].xdp.prog.id')
	run --separate-stderr xctl -N "$NSB" exporter --once --collect prog
	assert_status 0
	[ "$(sample "$output" xctl_bpf_stats_enabled)" = "$(sysctl -n kernel.bpf_stats_enabled)" ]
	# turned on for this test only (restored in teardown)
	STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	ip netns exec "$NSA" ping -c 3 -i 0.2 -q 10.78.0.2 >/dev/null
	r0=$(bpftool -j prog show id "$id" | jq '.run_cnt // 0')
	run --separate-stderr xctl -N "$NSB" exporter --once --collect prog
	r1=$(bpftool -j prog show id "$id" | jq '.run_cnt // 0')
	assert_status 0
	promtool check metrics <<<"$output"
	[ "$(sample "$output" xctl_bpf_stats_enabled)" = 1 ]
	runs=$(sample "$output" "xctl_prog_runs_total{prog_id=\"$id\",prog_name=\"xdp_count\",prog_tag=\"$(bpftool -j prog show id "$id" | jq -r .tag)\",prog_type=\"xdp\"}")
	[ "$r0" -ge 3 ] && [ "$runs" -ge "$r0" ] && [ "$runs" -le "$r1" ]
	t=$(grep "^xctl_prog_run_time_seconds_total{prog_id=\"$id\"," <<<"$output" | awk '{ print $NF }')
	awk -v t="$t" 'BEGIN { exit !(t > 0 && t < 10) }'
}

# Sum of the run counts bpftool reports for the program ids $@.
bpftool_runs() {
	local id s=0
	for id in "$@"; do
		s=$((s + $(bpftool -j prog show id "$id" | jq '.run_cnt // 0')))
	done
	echo "$s"
}

@test "exporter --once: a module's struct_ops programs run by TCP, counted as bpftool counts them" {
	local ca="xp$UNIQ" map_id= id ids r0 r1 runs=0
	NAME="p$UNIQ"
	host_lock bpf-stats
	STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	run xctl module load "$MOD_OBJ" name "$NAME" ops_name "$ca"
	assert_status 0
	# a TCP transfer between the namespaces with the module's congestion control
	ip netns exec "$NSB" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.78.0.2", 5301)); s.listen(1); s.settimeout(10)
c, _ = s.accept()
while c.recv(65536):
    pass' &
	PIDS+=($!)
	sleep 0.3
	ip netns exec "$NSA" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, sys.argv[1].encode())
s.connect(("10.78.0.2", 5301)); s.sendall(b"x" * 262144); s.close()' "$ca"
	# bpftool: the struct_ops map whose value names the CA, and its programs
	for id in $(bpftool -j struct_ops show | jq '.[] | select(.name == "xctl_cc") | .id'); do
		bpftool -j struct_ops dump id "$id" 2>/dev/null | grep -q "\"$ca\"" && map_id=$id
	done
	[ -n "$map_id" ]
	ids=$(bpftool struct_ops dump id "$map_id" | grep -o 'prog_id:[0-9]*' | cut -d: -f2 | sort -u)
	[ -n "$ids" ]
	r0=$(bpftool_runs $ids)
	run --separate-stderr xctl exporter --once --collect prog
	r1=$(bpftool_runs $ids)
	assert_status 0
	promtool check metrics <<<"$output"
	for id in $ids; do
		grep -q "^xctl_prog_runs_total{prog_id=\"$id\",.*,prog_type=\"struct_ops\"} " <<<"$output"
		runs=$((runs + $(grep "^xctl_prog_runs_total{prog_id=\"$id\"," <<<"$output" | awk '{ print $NF }')))
	done
	[ "$r0" -gt 0 ] && [ "$runs" -ge "$r0" ] && [ "$runs" -le "$r1" ]
}

@test "exporter --once --openmetrics: the OpenMetrics parser accepts it; counters end in _total; # EOF" {
	run --separate-stderr xctl -N "$NSB" exporter --once --openmetrics
	assert_status 0
	[ "$(tail -n 1 <<<"$output")" = "# EOF" ]
	grep -q '^# TYPE xctl_xdp_packets counter$' <<<"$output"
	grep -q '^# UNIT xctl_xdp_bytes bytes$' <<<"$output"
	grep -q '^# TYPE xctl_xdp info$' <<<"$output"
	grep -q '^xctl_xdp_packets_total{device="v1",driver="veth"} [0-9]' <<<"$output"
	/usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(sys.stdin.read())}
assert fams["xctl_xdp_packets"].type == "counter", fams["xctl_xdp_packets"].type
assert fams["xctl_xdp"].type == "info"
assert any(s.labels.get("device") == "v1" for s in fams["xctl_xdp_packets"].samples)
' <<<"$output"
}

@test "exporter --once: label values are escaped (a device named with a quote and a backslash)" {
	local dev='e"s\c'
	ip -n "$NSB" link add "$dev" type veth peer name esc1
	run --separate-stderr xctl -N "$NSB" exporter --once --collect xdp
	assert_status 0
	promtool check metrics <<<"$output"
	grep -qF 'xctl_xdp_packets_total{device="e\"s\\c",driver="veth"} 0' <<<"$output"
	# the OpenMetrics parser reads the name back unchanged
	run --separate-stderr xctl -N "$NSB" exporter --once --openmetrics --collect xdp
	assert_status 0
	/usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(sys.stdin.read())}
assert any(s.labels["device"] == "e\"s\\c" for s in fams["xctl_xdp_packets"].samples)
' <<<"$output"
}

@test "exporter -j --once: the metric families as one JSON document" {
	run --separate-stderr xctl -j -N "$NSB" exporter --once --collect xdp
	assert_status 0
	assert_json
	[ "$(jq -r '.[] | select(.name == "xctl_xdp_packets") | .type' <<<"$output")" = counter ]
	[ "$(jq '.[] | select(.name == "xctl_xdp_packets") | .samples[] |
		select(.labels.device == "v1") | .value' <<<"$output")" -ge 3 ]
	# only the xdp collector ran
	[ "$(jq '[.[] | select(.name | startswith("xctl_module") or startswith("xctl_struct_ops"))] | length' <<<"$output")" = 0 ]
	[ "$(jq -c '[.[] | select(.name == "xctl_scrape_collector_success") | .samples[].labels.collector]' <<<"$output")" = '["xdp"]' ]
	# the build: xctl's version, the Makefile's VERSION
	[ "$(jq -r '.[] | select(.name == "xctl_build") | .samples[0].labels.version' <<<"$output")" = \
	  "$(awk '$1 == "VERSION" { print $3 }' "$BATS_TEST_DIRNAME/../../Makefile")" ]
	validate <<<"$output"
	run --separate-stderr xctl -j exporter --once
	assert_status 0
	validate <<<"$output"
}

@test "exporter --once: modules and struct_ops equal the kernel's (available CAs, link pin, sha256)" {
	local ca="xe$UNIQ" map_id= id
	NAME="e$UNIQ"
	run xctl module load "$MOD_OBJ" name "$NAME" ops_name "$ca"
	assert_status 0
	grep -qw -- "$ca" "$AVAIL"
	# the struct_ops map whose value names the CA (bpftool's own dump)
	for id in $(bpftool -j struct_ops show | jq '.[] | select(.name == "xctl_cc") | .id'); do
		bpftool -j struct_ops dump id "$id" 2>/dev/null | grep -q "\"$ca\"" && map_id=$id
	done
	[ -n "$map_id" ]
	run --separate-stderr xctl exporter --once --collect module,struct_ops
	assert_status 0
	promtool check metrics <<<"$output"
	grep -qx "xctl_module_info{name=\"$NAME\",object=\"$(realpath "$MOD_OBJ")\",sha256=\"$(sha256sum "$MOD_OBJ" | cut -d' ' -f1)\",state=\"loaded\"} 1" <<<"$output"
	[ "$(sample "$output" "xctl_module_users{name=\"$NAME\"}")" = 0 ]
	[ "$(sample "$output" "xctl_struct_ops_registered{kind=\"tcp_congestion_ops\",ops_name=\"$ca\",map_id=\"$map_id\",map_name=\"xctl_cc\",module=\"$NAME\"}")" = 1 ]
	run xctl module unload "$NAME"
	assert_status 0
	NAME=
	run --separate-stderr xctl exporter --once --collect module,struct_ops
	assert_status 0
	! grep -q "name=\"e$UNIQ\"" <<<"$output"
	! grep -q "ops_name=\"$ca\"" <<<"$output"
}

@test "exporter: a failing collector leaves the others' series (no CAP_BPF/CAP_SYS_ADMIN for struct_ops)" {
	# (entering a netns needs CAP_SYS_ADMIN: enter it before dropping)
	run --separate-stderr ip netns exec "$NSB" capsh --drop=cap_sys_admin,cap_bpf,cap_perfmon -- -c \
		"exec '$XCTL_BIN' --bpffs '$BPFFS' exporter --once"
	assert_status 0
	promtool check metrics <<<"$output"
	[ "$(sample "$output" 'xctl_scrape_collector_success{collector="struct_ops"}')" = 0 ]
	[ "$(sample "$output" 'xctl_scrape_errors_total{collector="struct_ops"}')" = 1 ]
	[ "$(sample "$output" 'xctl_scrape_collector_success{collector="xdp"}')" = 1 ]
	[ "$(sample "$output" 'xctl_scrape_errors_total{collector="xdp"}')" = 0 ]
	[ "$(sample "$output" 'xctl_xdp_packets_total{device="v1",driver="veth"}')" -ge 3 ]
	! grep -q '^xctl_struct_ops_registered' <<<"$output"
	grep -q 'collector struct_ops: ' <<<"$stderr"
}

@test "exporter --listen: /metrics, index, 404, 405, HEAD; OpenMetrics on Accept" {
	start_exporter
	run get -D "$TMPD/h" -o "$TMPD/m" "$URL"
	assert_status 0
	grep -q '^HTTP/1.1 200' "$TMPD/h"
	grep -qi '^Content-Type: text/plain; version=0.0.4' "$TMPD/h"
	promtool check metrics <"$TMPD/m"
	grep -q '^xctl_xdp_packets_total{device="v1",driver="veth"} ' "$TMPD/m"
	run get -o /dev/null -w '%{http_code}' "${URL%/metrics}/"
	[ "$output" = 200 ]
	run get "${URL%/metrics}/"
	grep -q 'href="/metrics"' <<<"$output"
	run get -o /dev/null -w '%{http_code}' "${URL%/metrics}/metricsx"
	[ "$output" = 404 ]
	run get -o /dev/null -w '%{http_code}' -X POST -d x=1 "$URL"
	[ "$output" = 405 ]
	run get -o /dev/null -w '%{http_code}' -X DELETE "$URL"
	[ "$output" = 405 ]
	run get -I "$URL"
	grep -q '^HTTP/1.1 200' <<<"$output"
	run get -D "$TMPD/h" -o "$TMPD/m" \
		-H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' "$URL"
	assert_status 0
	grep -qi '^Content-Type: application/openmetrics-text; version=1.0.0' "$TMPD/h"
	[ "$(tail -n 1 "$TMPD/m")" = "# EOF" ]
	/usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
list(text_string_to_metric_families(sys.stdin.read()))' <"$TMPD/m"
	# text/plain preferred over OpenMetrics: text
	run get -D "$TMPD/h" -o /dev/null -H 'Accept: application/openmetrics-text;q=0.3,text/plain' "$URL"
	grep -qi '^Content-Type: text/plain' "$TMPD/h"
}

@test "exporter -j --listen: the address served as one JSON object; SIGTERM stops it (exit 0)" {
	local pid i line= rc=0
	"$XCTL_BIN" -j --bpffs "$BPFFS" -N "$NSB" exporter --listen 127.0.0.1:0 >"$TMPD/out" &
	pid=$!
	PIDS+=("$pid")
	for i in $(seq 100); do
		line=$(head -n 1 "$TMPD/out")
		[ -n "$line" ] && break
		sleep 0.05
	done
	validate <<<"$line"
	[ "$(jq -r .address <<<"$line")" = 127.0.0.1 ]
	[ "$(jq -r .url <<<"$line")" = "http://127.0.0.1:$(jq .port <<<"$line")/metrics" ]
	run get -o /dev/null -w '%{http_code}' "$(jq -r .url <<<"$line")"
	[ "$output" = 200 ]
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ]
}

@test "exporter --listen: 8 concurrent scrapes all succeed while devices come and go" {
	local i churn
	start_exporter
	# device churn: a collector sees devices vanish between dump and ioctl
	ip netns exec "$NSB" bash -c 'while :; do
		ip link add c0 type veth peer name d0 && ip link del c0; done' &
	churn=$!
	PIDS+=("$churn")
	local curls=()
	for i in $(seq 8); do
		get -o "$TMPD/s$i" -w '%{http_code}\n' "$URL" >"$TMPD/c$i" &
		curls+=($!)
	done
	wait "${curls[@]}"
	for i in $(seq 8); do
		[ "$(cat "$TMPD/c$i")" = 200 ]
		promtool check metrics <"$TMPD/s$i"
		grep -q '^xctl_xdp_packets_total{device="v1",driver="veth"} ' "$TMPD/s$i"
	done
	for i in $(seq 4); do
		run get -o "$TMPD/m" -w '%{http_code}' "$URL"
		[ "$output" = 200 ]
		promtool check metrics <"$TMPD/m"
	done
	kill "$churn"
	[ "$(sample "$(get "$URL")" 'xctl_scrape_errors_total{collector="xdp"}')" = 0 ]
}

@test "exporter --listen: a Prometheus server scrapes it; its query API returns the XDP series" {
	local p0 p1 v i port=9090
	mkdir -p "$TMPD/prom"
	cat >"$TMPD/prom.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: xctl
	    static_configs:
	      - targets: ['127.0.0.1:10180']
	EOF
	# the default address: 127.0.0.1:10180 of the test's namespace
	"$XCTL_BIN" --bpffs "$BPFFS" -N "$NSB" exporter >"$TMPD/exporter.out" 2>&1 &
	PIDS+=($!)
	p0=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	ip netns exec "$NSB" prometheus --config.file="$TMPD/prom.yml" \
		--storage.tsdb.path="$TMPD/prom" --web.listen-address="127.0.0.1:$port" \
		>"$TMPD/prom.log" 2>&1 &
	PIDS+=($!)
	# until Prometheus is up and has scraped once (while it starts, its
	# answer may be no JSON at all: not a failure, another try)
	for i in $(seq 200); do
		v=$(get -G "http://127.0.0.1:$port/api/v1/query" \
			--data-urlencode 'query=xctl_xdp_packets_total{device="v1",job="xctl"}' 2>/dev/null |
			jq -r '.data.result[0].value[1] // empty' 2>/dev/null || true)
		[ -n "$v" ] && break
		sleep 0.1
	done
	p1=$(ethsum "$NSB" v1 '^rx_queue_[0-9]+_xdp_packets:')
	[ -n "$v" ] || { tail -n 20 "$TMPD/prom.log" >&2; false; }
	[ "$v" -ge "$p0" ] && [ "$v" -le "$p1" ] && [ "$v" -ge 3 ]
	v=$(get -G "http://127.0.0.1:$port/api/v1/query" --data-urlencode 'query=up{job="xctl"}' |
		jq -r '.data.result[0].value[1]')
	[ "$v" = 1 ]
	grep -q '^xctl exporter: serving http://127.0.0.1:10180/metrics$' "$TMPD/exporter.out"
}

@test "exporter: bad arguments are usage errors; a taken port fails with a hint" {
	run xctl exporter --bogus
	assert_status 2
	run xctl exporter --collect xdp,nope --once
	assert_status 2
	[[ $output == *"unknown collector 'nope'"* ]]
	run xctl exporter --collect
	assert_status 2
	run xctl exporter --once --listen 127.0.0.1:0
	assert_status 2
	run xctl exporter --openmetrics
	assert_status 2
	run xctl -j exporter --once --openmetrics
	assert_status 2
	assert_json
	run xctl exporter --listen 127.0.0.1:70000
	assert_status 2
	run xctl exporter --listen host.example:80
	assert_status 2
	run xctl exporter --listen '[::1:80'
	assert_status 2
	start_exporter
	run xctl -N "$NSB" exporter --listen "$(sed 's|^http://||; s|/metrics$||' <<<"$URL")"
	assert_status 1
	[[ $output == *"cannot listen on"* ]]
	[[ $output == *"hint:"* ]]
	run xctl exporter help
	assert_status 0
	[[ $output == *"--collect"* ]]
}

@test "exporter: completion offers its options and collectors" {
	[ "$(complete_words xctl exporter --collect xdp,s)" = "xdp,struct_ops" ]
	[[ " $(complete_words xctl exporter --once --) " == *" --openmetrics "* ]]
	[[ " $(complete_words xctl ex) " == *" exporter "* ]]
}
