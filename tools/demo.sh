#!/usr/bin/env bash
# `make demo`: show xctl's main jobs on a throwaway network namespace and
# clean up after itself, whatever happens.
#   two namespaces joined by a veth pair, an XDP program on the receiver,
#   a little traffic, `xctl xdp stats`; the example congestion-control module
#   loaded, listed, used by a TCP connection, seen by the Prometheus exporter
#   and unloaded.
set -u
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root (network namespaces, BPF): sudo make demo" >&2
	exit 1
fi

XCTL=$PWD/xctl
id=$$
A=xdemo-a-$id
B=xdemo-b-$id
BPFFS=$(mktemp -d /tmp/xctl-demo.XXXXXX)
MOD=democc
CA=xdemo$((id % 100000))

cleanup() {
	"$XCTL" --bpffs "$BPFFS" -q module unload "$MOD" --force >/dev/null 2>&1
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	if mountpoint -q "$BPFFS"; then
		rm -rf "${BPFFS:?}"/* 2>/dev/null
		umount "$BPFFS"
	fi
	rmdir "$BPFFS" 2>/dev/null
}
trap cleanup EXIT INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
x() { printf '$ xctl %s\n' "$*"; "$XCTL" --bpffs "$BPFFS" "$@"; }

mount -t bpf bpf "$BPFFS" || exit 1

step "two network namespaces joined by a veth pair"
ip netns add "$A" && ip netns add "$B" || exit 1
ip -n "$A" link add veth0 numtxqueues 4 numrxqueues 4 type veth peer name veth1 \
	numtxqueues 4 numrxqueues 4 netns "$B" || exit 1
ip -n "$A" addr add 10.211.0.1/24 dev veth0
ip -n "$B" addr add 10.211.0.2/24 dev veth1
ip -n "$A" link set veth0 up
ip -n "$B" link set veth1 up
ip -n "$A" link set lo up
ip -n "$B" link set lo up

step "xctl version: what this kernel supports"
x version

step "an XDP program on the receiver, a little traffic"
XDP_OBJ=examples/xdp_count.bpf.o
x -N "$B" xdp attach veth1 "$XDP_OBJ" || exit 1
run ip netns exec "$A" ping -c 5 -i 0.2 -q 10.211.0.2

step "XDP counters, state and features of every interface, at once"
x -N "$B" xdp stats --all
x -N "$B" xdp features veth1
x -N "$B" -j xdp stats veth1 | jq -c '.[0] | {driver, xdp, counters}'
x -N "$B" xdp show

step "is veth0 an XDP redirect target? (its peer has XDP, so it has NAPI)"
x -N "$A" xdp redirect show veth0

step "load the example congestion control as a module, with a parameter"
x module load examples/cc.bpf.o name "$MOD" ops_name "$CA" init_ssthresh=20 || exit 1
x module list
x module info "$MOD"
grep -qw "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control &&
	echo "kernel: '$CA' is in tcp_available_congestion_control"

step "a TCP connection between the namespaces uses it"
ip netns exec "$A" sysctl -qw net.ipv4.tcp_congestion_control="$CA"
ip netns exec "$B" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.211.0.2", 5201)); s.listen(1); c, _ = s.accept(); time.sleep(3)' &
srv=$!
sleep 0.5
ip netns exec "$A" python3 -c '
import socket, subprocess
s = socket.create_connection(("10.211.0.2", 5201))
s.sendall(b"x" * 65536)
print(subprocess.run(["ss", "-tin", "dst", "10.211.0.2"], capture_output=True, text=True).stdout)'
x module list
wait $srv 2>/dev/null

step "the same for Prometheus: one scrape of the exporter (--once; --listen serves it)"
echo "\$ xctl -N $B exporter --once | grep ..."
"$XCTL" --bpffs "$BPFFS" -N "$B" exporter --once |
	grep -E '^xctl_(xdp_(packets|bytes)_total|xdp_info|module_info|scrape_collector_success)'

step "unload it"
x module unload "$MOD" --force
grep -qw "$CA" /proc/sys/net/ipv4/tcp_available_congestion_control ||
	echo "kernel: '$CA' is gone"

step "done; cleaning up"
