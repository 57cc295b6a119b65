package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.RowSink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One {@code NETLINK_SOCK_DIAG} socket with its receive buffer: sends requests, each with its own sequence number,
 * and reads their replies, a dump's until {@code NLMSG_DONE} or a lookup's single answer. Its memory is the
 * caller's {@link LibC}'s, so one channel serves one thread; closing it closes the socket.
 */
final class NetlinkChannel implements AutoCloseable {

    /**
     * Room for one datagram. The kernel fills a dump's datagrams up to about 32 KiB whatever the reader offers;
     * a larger one would be cut, and {@code MSG_TRUNC} makes that visible as an error rather than a short table.
     */
    static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    /**
     * Whether this kernel refused the legacy request that dumps both families in one walk; then every dump asks
     * per family. A kernel does not change its mind while the JVM runs.
     */
    private static volatile boolean legacyRefused;

    private final LibC libc;
    private final int fd;
    /** Requests go out from it and replies come in, one datagram at a time. */
    private final ByteBuffer buffer;
    private final ByteBuffer kernel;
    private int seq;

    private NetlinkChannel(LibC libc, int fd, ByteBuffer buffer, ByteBuffer kernel) {
        this.libc = libc;
        this.fd = fd;
        this.buffer = buffer;
        this.kernel = kernel;
    }

    static NetlinkChannel open(LibC libc) {
        int fd = libc.socket(InetDiag.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, InetDiag.NETLINK_SOCK_DIAG);
        if (fd < 0) {
            throw NetlinkException.ofErrno("socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)", libc.errno());
        }
        return new NetlinkChannel(libc, fd, libc.allocate(RECEIVE_BUFFER_BYTES), kernelAddress(libc));
    }

    /**
     * Reads every TCP socket of the namespace, both families, listeners with their drop counts. In two dumps: the
     * listeners with {@code INET_DIAG_SKMEMINFO}, then the other states without it, which would add 40 bytes to
     * each of the namespace's connections. A dump of listeners alone walks only the kernel's listener table, and
     * one without them only its connection table, so the two walk the tables once between them, as a single dump
     * of every state does. A socket both meet (a listener shut down and connected again in between) is kept once.
     */
    void dumpAll(RowSink rows) {
        CookieSet cookies = CookieSet.forWholeTable();
        dump(Set.of(), InetDiag.LISTEN_STATE, InetDiag.EXT_SKMEMINFO, rows, cookies);
        dump(Set.of(), InetDiag.ALL_STATES & ~InetDiag.LISTEN_STATE, InetDiag.NO_EXTENSIONS, rows, cookies);
        cookies.done();
    }

    /**
     * The requests of {@link #dumpAll}, their replies received datagram by datagram and thrown away, nothing
     * decoded: the kernel's share of a snapshot, for the benchmarks ({@link NetlinkDumps}). The bytes received.
     */
    long dumpAllUndecoded() {
        return undecoded(InetDiag.LISTEN_STATE, InetDiag.EXT_SKMEMINFO)
                + undecoded(InetDiag.ALL_STATES & ~InetDiag.LISTEN_STATE, InetDiag.NO_EXTENSIONS);
    }

    private long undecoded(int states, int extensions) {
        if (!legacyRefused) {
            return undecoded(InetDiag.legacyDumpRequest(++seq, Set.of(), states, extensions), "TCPDIAG_GETSOCK dump");
        }
        return undecoded(InetDiag.portDumpRequest(InetDiag.AF_INET, ++seq, Set.of(), states, extensions), "AF_INET dump")
                + undecoded(InetDiag.portDumpRequest(InetDiag.AF_INET6, ++seq, Set.of(), states, extensions), "AF_INET6 dump");
    }

    private long undecoded(ByteBuffer request, String what) {
        send(request, what);
        long total = 0;
        while (true) {
            ByteBuffer datagram = receive(what);
            if (!datagram.hasRemaining()) {
                throw new NetlinkException("the " + what + " ended without NLMSG_DONE");
            }
            total += datagram.remaining();
            // The kernel ends a dump with NLMSG_DONE (or an error) in a datagram of its own, after the last socket.
            int type = datagram.getShort(4);
            if (type == InetDiag.NLMSG_DONE || type == InetDiag.NLMSG_ERROR) {
                return total;
            }
        }
    }

    /**
     * Reads, in one walk of the kernel's tables, the TCP sockets of both families whose local port is one of
     * {@code localPorts} and whose state is in {@code states}, their messages carrying the attributes
     * {@code extensions} asks for.
     */
    void dumpPorts(Set<Integer> localPorts, int states, int extensions, List<RawSocketRow> rows, List<String> skipped) {
        if (localPorts.isEmpty()) {
            throw new IllegalArgumentException("no port to dump: that would be the whole table");
        }
        dump(localPorts, states, extensions, RowSink.into(rows, skipped), new CookieSet());
    }

    /**
     * One walk of the kernel's tables with the legacy request, which covers both families, or one per family where
     * the kernel refuses it. No port is every port.
     */
    private void dump(Set<Integer> localPorts, int states, int extensions, RowSink rows, CookieSet cookies) {
        String what = localPorts.isEmpty() ? "dump" : "dump of port" + (localPorts.size() == 1 ? " " : "s ")
                + new TreeSet<>(localPorts).stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (!legacyRefused) {
            int request = ++seq;
            InetDiagReplyParser parser = new InetDiagReplyParser(request, rows, cookies);
            try {
                dump(InetDiag.legacyDumpRequest(request, localPorts, states, extensions), parser, "TCPDIAG_GETSOCK " + what);
                return;
            } catch (NetlinkException e) {
                // Refused at once (an NLMSG_ERROR before any socket) means the kernel lacks the legacy path.
                if (parser.hasReadSockets() || !refusesLegacy(e.errno())) {
                    throw e;
                }
                legacyRefused = true;
            }
        }
        for (int family : new int[] {InetDiag.AF_INET, InetDiag.AF_INET6}) {
            int request = ++seq;
            dump(InetDiag.portDumpRequest(family, request, localPorts, states, extensions),
                    new InetDiagReplyParser(request, rows, cookies),
                    (family == InetDiag.AF_INET ? "AF_INET " : "AF_INET6 ") + what);
        }
    }

    /**
     * Asks for the socket with this 4-tuple, its message carrying the attributes {@code extensions} asks for: the
     * kernel's answer, or empty when it has none.
     */
    Optional<RawSocketRow> lookup(int family, byte[] local, int localPort, byte[] remote, int remotePort, int extensions,
                                  InetDiagLookupReply reply, String what) {
        int request = ++seq;
        send(InetDiag.socketRequest(family, request, local, localPort, remote, remotePort, extensions), what);
        ByteBuffer datagram = receive(what);
        if (!datagram.hasRemaining()) {
            throw new NetlinkException("the kernel sent an empty answer to the " + what);
        }
        return reply.parse(datagram, request);
    }

    /** EINVAL: no such request type; EOPNOTSUPP: the type is known but its compatibility handler is gone. */
    private static boolean refusesLegacy(int errno) {
        return errno == Errno.EINVAL || errno == Errno.EOPNOTSUPP;
    }

    private void dump(ByteBuffer request, InetDiagReplyParser parser, String what) {
        send(request, what);
        while (!parser.isDone()) {
            ByteBuffer datagram = receive(what);
            if (!datagram.hasRemaining()) {
                throw new NetlinkException("the " + what + " ended without NLMSG_DONE");
            }
            parser.parse(datagram);
        }
    }

    private void send(ByteBuffer request, String what) {
        buffer.clear().put(request).flip();
        long sent;
        do {
            sent = libc.sendto(fd, buffer, 0, kernel);
        } while (sent < 0 && libc.errno() == Errno.EINTR);
        if (sent < 0) {
            throw NetlinkException.ofErrno("sendto(" + what + ")", libc.errno());
        }
    }

    /** One datagram into the buffer: the buffer, from 0 to the datagram's length. */
    private ByteBuffer receive(String what) {
        buffer.clear();
        long received;
        do {
            received = libc.recv(fd, buffer, LibC.MSG_TRUNC);
        } while (received < 0 && libc.errno() == Errno.EINTR);
        if (received < 0) {
            throw NetlinkException.ofErrno("recv(" + what + ")", libc.errno());
        }
        if (received > RECEIVE_BUFFER_BYTES) {
            throw new NetlinkException("the kernel's reply to the " + what + " was truncated (MSG_TRUNC): a datagram of "
                    + received + " bytes did not fit in " + RECEIVE_BUFFER_BYTES);
        }
        return buffer.limit((int) received);
    }

    @Override
    public void close() {
        libc.close(fd);
    }

    /** {@code struct sockaddr_nl} of the kernel: family AF_NETLINK, port id 0, no multicast groups. */
    private static ByteBuffer kernelAddress(LibC libc) {
        return libc.allocate(12).putShort(0, (short) InetDiag.AF_NETLINK);
    }
}
