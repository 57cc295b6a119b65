#!/usr/bin/env python3
"""Creates loopback TCP sockets in many states, then writes into the directory given:
net/tcp and net/tcp6 (the header and the rows of those sockets, byte for byte as the kernel
printed them), self-fd.txt (this process's /proc/self/fd links) and ss-tane.txt (`ss -tane`
taken right after, for the same ports). Prints each listener's port and role.

Run as root on Linux: it starts one helper as uid 65534 (setpriv) to own a foreign listener.
Usage: python3 capture.py DIR 2>&1 </dev/null | cat     (so fds 0-2 are not files of yours)
"""
import os, socket, subprocess, sys, time

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
keep = []       # every socket stays open until the capture is written
roles = []      # (role, local port) for the README

def deadline_wait(what, condition, seconds=10):
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            sys.exit("timed out waiting for " + what)
        time.sleep(0.01)

def rows():
    lines = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name) as f:
            lines += f.read().splitlines()[1:]
    return lines

def state_of(local_port, remote_port, state_hex):
    def check():
        for line in rows():
            c = line.split()
            if int(c[1].split(":")[1], 16) == local_port and int(c[2].split(":")[1], 16) == remote_port and c[3] == state_hex:
                return True
        return False
    return check

def listener(family, address, backlog, v6only=None, defer_accept=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    if defer_accept is not None:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, defer_accept)
    s.bind((address, 0))
    s.listen(backlog)
    keep.append(s)
    return s, s.getsockname()[1]

def client(family, target, port, source=None):
    c = socket.socket(family, socket.SOCK_STREAM)
    if source:
        c.bind((source, 0))
    c.connect((target, port))
    keep.append(c)
    return c

AF4, AF6 = socket.AF_INET, socket.AF_INET6

# 1. IPv4 listener that never accepts: a CLOSE-WAIT child (its client, from 127.1.2.3, closed and is an
#    orphaned FIN-WAIT-2) and an ESTABLISHED child with 5 unread bytes. Depth 2.
l1, p1 = listener(AF4, "127.0.0.1", 8); roles.append(("ipv4 listener, never accepts, depth 2", p1))
c1 = client(AF4, "127.0.0.1", p1, source="127.1.2.3"); c1p = c1.getsockname()[1]; c1.close(); keep.remove(c1)
c2 = client(AF4, "127.0.0.1", p1); c2.sendall(b"hello")
deadline_wait("CLOSE-WAIT child", state_of(p1, c1p, "08"))
deadline_wait("orphaned FIN-WAIT-2", state_of(c1p, p1, "05"))

# 2. IPv4 wildcard listener that accepts: a pair with queued bytes both ways, and a TIME-WAIT.
l2, p2 = listener(AF4, "0.0.0.0", 16); roles.append(("ipv4 wildcard listener, accepts", p2))
c3 = socket.socket(AF4, socket.SOCK_STREAM); c3.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
c3.connect(("127.0.0.1", p2)); keep.append(c3)
a3, _ = l2.accept(); keep.append(a3)
c3.sendall(b"x" * 100)
a3.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384); a3.setblocking(False)
try:
    while True:
        a3.send(b"y" * 4096)
except BlockingIOError:
    pass
c4 = client(AF4, "127.0.0.1", p2); a4, _ = l2.accept(); c4p = c4.getsockname()[1]
a4.close()
deadline_wait("client CLOSE-WAIT", state_of(c4p, p2, "08"))
c4.close(); keep.remove(c4)
deadline_wait("server TIME-WAIT", state_of(p2, c4p, "06"))

# 3. A full accept queue (backlog 0 holds one child): the next client stays in SYN-SENT.
l3, p3 = listener(AF4, "127.0.0.1", 0); roles.append(("ipv4 listener, backlog 0, full", p3))
c5 = client(AF4, "127.0.0.1", p3)
c6 = socket.socket(AF4, socket.SOCK_STREAM); c6.setblocking(False); keep.append(c6)
c6.connect_ex(("127.0.0.1", p3)); c6p = c6.getsockname()[1]
deadline_wait("SYN-SENT", state_of(c6p, p3, "02"))

# 4. TCP_DEFER_ACCEPT keeps the handshake's request socket in SYN-RECV until data arrives.
l4, p4 = listener(AF4, "127.0.0.1", 8, defer_accept=30); roles.append(("ipv4 listener, TCP_DEFER_ACCEPT", p4))
c7 = client(AF4, "127.0.0.1", p4); c7p = c7.getsockname()[1]
deadline_wait("SYN-RECV", state_of(p4, c7p, "03"))

# 5. IPv6 ::1 (v6only): a queued ESTABLISHED child and an accepted pair.
l5, p5 = listener(AF6, "::1", 8, v6only=1); roles.append(("ipv6 ::1 listener", p5))
c8 = client(AF6, "::1", p5)
c9 = client(AF6, "::1", p5)
a9, _ = l5.accept(); keep.append(a9)   # accepts c8's child, which came first; c9's stays queued

# 6. Dual-stack [::] listener with IPv4 clients: mapped rows in tcp6, the clients in tcp.
l6, p6 = listener(AF6, "::", 8, v6only=0); roles.append(("dual-stack [::] listener", p6))
c10 = client(AF4, "127.0.0.1", p6, source="127.1.2.3")
a10, _ = l6.accept(); keep.append(a10)
c11 = client(AF4, "127.0.0.1", p6)

# 7. A listener bound to the mapped address ::ffff:127.0.0.1, and an IPv6 socket connecting to it.
l7, p7 = listener(AF6, "::ffff:127.0.0.1", 8, v6only=0); roles.append(("listener on ::ffff:127.0.0.1", p7))
c12 = client(AF6, "::ffff:127.0.0.1", p7)

# 8. Another process (uid 65534) listens; we connect and it never accepts.
helper = subprocess.Popen(
    ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
     "import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(4)\n"
     "print(s.getsockname()[1],flush=True)\nsys.stdin.read()"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
p8 = int(helper.stdout.readline()); roles.append(("listener of uid 65534, another process", p8))
c13 = client(AF4, "127.0.0.1", p8)

ports = {port for _, port in roles}
deadline_wait("all children", lambda: sum(1 for r in rows() if int(r.split()[1].split(":")[1], 16) in ports
                                          and r.split()[3] in ("01", "08")) >= 7)

# Capture: each file in one read, then ss at once, then our descriptors.
captured = {}
for name in ("tcp", "tcp6"):
    with open("/proc/net/" + name, "rb", buffering=0) as f:
        data = b""
        while chunk := f.read(1 << 20):
            data += chunk
    captured[name] = data
ss = subprocess.run(["ss", "-tane"], capture_output=True, text=True, check=True).stdout
fds = []
for fd in sorted(os.listdir("/proc/self/fd"), key=int):
    try:
        fds.append(fd + " -> " + os.readlink("/proc/self/fd/" + fd))
    except OSError:
        pass

def ours(line):
    c = line.split()
    return int(c[1].split(b":")[1], 16) in ports or int(c[2].split(b":")[1], 16) in ports

os.makedirs(os.path.join(out, "net"), exist_ok=True)
for name, data in captured.items():
    lines = data.split(b"\n")
    kept = [lines[0]] + [l for l in lines[1:] if l.strip() and ours(l)]
    with open(os.path.join(out, "net", name), "wb") as f:
        f.write(b"\n".join(kept) + b"\n")
with open(os.path.join(out, "ss-tane.txt"), "w") as f:
    head, *body = ss.splitlines()
    f.write("\n".join([head] + [l for l in body
                                if {int(l.split()[i].rsplit(":", 1)[1].replace("*", "0")) for i in (3, 4)} & ports]) + "\n")
with open(os.path.join(out, "self-fd.txt"), "w") as f:
    f.write("\n".join(fds) + "\n")
for role, port in roles:
    print(port, role)
helper.stdin.close(); helper.wait()
