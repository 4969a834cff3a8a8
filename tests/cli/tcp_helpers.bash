# TCP congestion controls registered host-wide (oracle: $AVAIL), and TCP
# between two network namespaces for the module tests: a veth pair, a server
# holding connections, clients with a chosen congestion control, and `ss -ti`
# of a connection (the independent oracle). Uses $UNIQ, $TMPD and
# the caller's PIDS array (killed in the caller's teardown).

AVAIL=/proc/sys/net/ipv4/tcp_available_congestion_control

# The CA is registered host-wide.
ca_registered() {
	grep -qw -- "$1" "$AVAIL"
}

# Wait (bounded) until the CA is gone: the kernel unregisters as the last
# link reference is dropped.
ca_gone() {
	local i
	for i in $(seq 50); do
		ca_registered "$1" || return 0
		sleep 0.1
	done
	echo "congestion control $1 still registered" >&2
	return 1
}

# Wait (bounded) until a file exists.
wait_file() {
	local i
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# Two namespaces joined by a veth pair; a TCP server in $NS_B that accepts
# and holds connections.
net_setup() {
	# not in $(...): make_netns records the namespaces for teardown
	make_netns a >/dev/null
	make_netns b >/dev/null
	NS_A="xt-$UNIQ-a"
	NS_B="xt-$UNIQ-b"
	ip -n "$NS_A" link add va type veth peer name vb netns "$NS_B"
	ip -n "$NS_A" addr add 10.77.0.1/24 dev va
	ip -n "$NS_B" addr add 10.77.0.2/24 dev vb
	ip -n "$NS_A" link set va up
	ip -n "$NS_B" link set vb up
	ip netns exec "$NS_B" python3 -c '
import socket, sys
s = socket.socket()
s.settimeout(60)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 5000))
s.listen(16)
open(sys.argv[1], "w").close()
conns = []
while True:
    conns.append(s.accept()[0])
' "$TMPD/server.ready" >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_file "$TMPD/server.ready"
}

# Connect from $NS_A with congestion control $1 (empty: the netns default)
# and hold the connection open; $2 names the connection.
connect() {
	ip netns exec "$NS_A" python3 -c '
import socket, sys, time
s = socket.socket()
if sys.argv[1]:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, sys.argv[1].encode())
s.settimeout(5)
s.connect(("10.77.0.2", 5000))
s.sendall(b"x" * 1000)
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
time.sleep(60)
' "$1" "$TMPD/$2.port" >/dev/null 2>&1 3>&- &
	PIDS+=($!)
	wait_file "$TMPD/$2.port"
	# the file is created before it is written
	local i
	for i in $(seq 50); do
		[ -s "$TMPD/$2.port" ] && return 0
		sleep 0.05
	done
	return 1
}

# `ss -ti` line of the connection named $1 (independent oracle).
ss_info() {
	ip netns exec "$NS_A" ss -tin "sport = :$(cat "$TMPD/$1.port")" | tail -n +2 | tr '\n' ' '
}

