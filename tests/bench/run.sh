#!/usr/bin/env bash
# `make bench`: XDP stats of many devices. Creates PAIRS veth pairs (default
# 500, i.e. 1000 devices) in a throwaway network namespace and reports the
# median wall time of
#   xctl -j xdp stats --all
#   ip -s -j link show
#   an `ethtool -S` loop over the same devices
#   one scrape of `xctl exporter` (xdp stats --all with the netdev features
#   dump, modules and the struct_ops inventory): over HTTP (curl) against a
#   running exporter, and as `exporter --once`
# the requests each makes (strace), how often `module load` opens and reads
# its object file (once: the sha256 is over the bytes libbpf gets),
# and the ratios against the targets (xctl <= 2x ip, <= 0.05x the ethtool loop,
# an HTTP scrape <= 1.2x xdp stats --all).
set -u
cd "$(dirname "$0")/../.."
PAIRS=${PAIRS:-500}
RUNS=${RUNS:-5}
NS=xbench-$$
XCTL=$PWD/xctl

[ "$(id -u)" -eq 0 ] || { echo "make bench needs root (network namespaces)" >&2; exit 1; }
out=$(mktemp)
exp_pid=
trap 'ip netns del "$NS" 2>/dev/null; [ -n "$exp_pid" ] && kill "$exp_pid" 2>/dev/null; rm -f "$out"' EXIT INT TERM
ip netns add "$NS" || exit 1
ip -n "$NS" link set lo up
for ((i = 0; i < PAIRS; i++)); do
	echo "link add b${i}a type veth peer name b${i}b"
done | ip -n "$NS" -batch - || exit 1
devs=$(ip -n "$NS" -o link show | awk -F': ' '{print $2}' | cut -d@ -f1)
ndev=$(wc -w <<<"$devs")

# median wall time in seconds of "$@" over $RUNS runs
median() {
	local r s e
	for ((r = 0; r < RUNS; r++)); do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s.%N)
		awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'
	done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# one process per device, as a script would do it (inside the namespace)
ethtool_loop_in_ns() {
	ip netns exec "$NS" bash -c 'for d in '"$(echo $devs)"'; do ethtool -S "$d"; done'
}

n_xctl=$("$XCTL" -N "$NS" -j xdp stats --all | jq length)
[ "$n_xctl" -eq "$ndev" ] || { echo "xctl saw $n_xctl of $ndev devices" >&2; exit 1; }

t_xctl=$(median "$XCTL" -N "$NS" -j xdp stats --all)
t_ip=$(median ip -n "$NS" -s -j link show)
n_series=$("$XCTL" -N "$NS" exporter --once | grep -c '^xctl_xdp_packets_total{device="b')
[ "$n_series" -eq $((2 * PAIRS)) ] || { echo "the exporter saw $n_series of $((2 * PAIRS)) veth devices" >&2; exit 1; }
t_exp=$(median "$XCTL" -N "$NS" exporter --once)
# a scrape of the HTTP exporter as Prometheus does it (steady state: the
# process, its kernel BTF and its string-set caches are already there)
"$XCTL" -q -N "$NS" exporter --listen 127.0.0.1:0 >"$out" &
exp_pid=$!
for ((r = 0; r < 100; r++)); do
	url=$(awk '{ print $NF }' "$out")
	[ -n "$url" ] && break
	sleep 0.05
done
# curl's own request-to-last-byte time: what Prometheus waits for (the
# xctl commands above include their process start, a few ms)
scrape() { nsenter --net="/run/netns/$NS" curl -sf -o /dev/null -w '%{time_total}\n' "$url"; }
scrape >/dev/null || { echo "cannot scrape $url" >&2; exit 1; }
t_http=$(for ((r = 0; r < RUNS; r++)); do scrape; done | sort -n |
	awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
kill "$exp_pid"
wait "$exp_pid" 2>/dev/null
RUNS_SAVED=$RUNS; RUNS=1
t_eth=$(median ethtool_loop_in_ns)
RUNS=$RUNS_SAVED

printf 'devices: %d (veth pairs: %d), median of %d runs\n' "$ndev" "$PAIRS" "$RUNS"
printf '  xctl -j xdp stats --all   %8.3f s\n' "$t_xctl"
printf '  xctl exporter --once      %8.3f s\n' "$t_exp"
printf '  exporter HTTP scrape      %8.3f s\n' "$t_http"
printf '  ip -s -j link show        %8.3f s\n' "$t_ip"
printf '  ethtool -S loop           %8.3f s (one run)\n' "$t_eth"
r_ip=$(awk -v a="$t_xctl" -v b="$t_ip" 'BEGIN { print a / b }')
r_eth=$(awk -v a="$t_xctl" -v b="$t_eth" 'BEGIN { print a / b }')
printf '  xctl / ip                 %8.3f  (target <= 2)\n' "$r_ip"
printf '  xctl / ethtool loop       %8.3f  (target <= 0.05)\n' "$r_eth"
r_exp=$(awk -v a="$t_exp" -v b="$t_xctl" 'BEGIN { print a / b }')
r_http=$(awk -v a="$t_http" -v b="$t_xctl" 'BEGIN { print a / b }')
printf '  scrape / xdp stats        %8.3f  (target <= 1.2)\n' "$r_http"
printf '  --once / xdp stats        %8.3f\n' "$r_exp"

# cost LABEL CMD...: the requests CMD makes, from strace (not from xctl)
cost() {
	local label=$1 f
	shift
	f=$(mktemp)
	strace -f -qq -e trace=ioctl,sendto,sendmsg,recvfrom,recvmsg -o "$f" "$@" >/dev/null 2>&1
	awk -v label="$label" -v ndev="$ndev" '
		/SIOCETHTOOL/ { ioctl++ }
		/send(to|msg)\(/ { req++; if (/NLM_F_DUMP|nlmsg_flags=[^,]*0x300/) dump++ }
		/recv(from|msg)\(/ && / = [0-9]+$/ { bytes += $NF }
		END {
			printf "  %-26s %6d ethtool ioctls (%.2f per device), %d netlink requests (%d dumps), %d KiB received\n",
				label, ioctl, ioctl / ndev, req, dump, bytes / 1024
		}' "$f"
	rm -f "$f"
}

if command -v strace >/dev/null; then
	echo "requests (strace):"
	cost "xctl -j xdp stats --all" "$XCTL" -N "$NS" -j xdp stats --all
	cost "xdp redirect show (all)" "$XCTL" -N "$NS" -j xdp redirect show
	cost "xctl exporter --once" "$XCTL" -N "$NS" exporter --once
	cost "ip -s -j link show" ip -n "$NS" -s -j link show
fi

# How often `module load` opens and reads its object file (strace, not xctl):
# once each, then the same bytes go to libbpf and the sha256. A private bpffs
# and a unique CA name keep the host as it was.
obj_reads() {
	local f mnt name ca
	f=$(mktemp)
	mnt=$(mktemp -d)
	name=bench$$
	ca=xb$$
	mount -t bpf bpf "$mnt" || { rm -rf "$f" "$mnt"; return; }
	strace -f -qq -y -e trace=openat,read,pread64,mmap -o "$f" \
		"$XCTL" --bpffs "$mnt" module load examples/cc.bpf.o name "$name" ops_name "$ca" \
		>/dev/null 2>&1
	"$XCTL" --bpffs "$mnt" module unload "$name" >/dev/null 2>&1
	umount "$mnt"
	rmdir "$mnt"
	awk -v obj="cc.bpf.o" '
		/openat\(/ && index($0, obj) && !/ENOENT/ { opens++ }
		/(read|pread64)\(/ && index($0, obj ">") { reads++ }
		/mmap\(/ && index($0, obj ">") { maps++ }
		END {
			printf "  %-26s %6d opens of the object, %d reads, %d mmaps\n",
				"xctl module load", opens, reads, maps
		}' "$f"
	rm -f "$f"
}

if command -v strace >/dev/null && [ -f examples/cc.bpf.o ]; then
	obj_reads
fi
