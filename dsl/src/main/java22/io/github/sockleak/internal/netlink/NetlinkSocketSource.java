package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.SocketTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the namespace's TCP sockets as {@code ss} does: one {@code SOCK_DIAG_BY_FAMILY} dump per address
 * family over a {@code NETLINK_SOCK_DIAG} socket, which adds what {@code /proc} lacks (a listener's maximum
 * backlog, the socket cookie) and costs less. This process's socket inodes still come from
 * {@code /proc/self/fd}, read before and after the dump as the {@code /proc} source does.
 *
 * <p>Every read opens its own netlink socket and memory, so reads on several threads do not share state, and a
 * failed dump leaves nothing behind for the next one.
 */
public final class NetlinkSocketSource implements SocketSource {

    /**
     * Room for one datagram. The kernel fills a dump's datagrams up to about 32 KiB whatever the reader offers;
     * a larger one would be cut, and {@code MSG_TRUNC} makes that visible as an error rather than a short table.
     */
    static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    private static final int SEQ_INET = 1;
    private static final int SEQ_INET6 = 2;

    private final ProcfsSocketSource procfs;

    private NetlinkSocketSource(ProcfsSocketSource procfs) {
        this.procfs = procfs;
    }

    /**
     * The source, if native access is enabled for the module holding sockleak.
     *
     * @throws NetlinkException naming the JVM option that is missing, or why the C library calls cannot be made
     */
    public static SocketSource create() {
        Module module = NetlinkSocketSource.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new NetlinkException("native access is not enabled for sockleak ("
                    + (module.isNamed() ? "module " + name : "the unnamed module") + "): add --enable-native-access="
                    + name + " to the JVM's options to read the kernel's table over netlink");
        }
        try (Arena arena = Arena.ofConfined()) {
            new LibC(arena); // links the C functions now, so a JVM that cannot is known before the first snapshot
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new NetlinkException("the C library functions for netlink cannot be linked: "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
        return new NetlinkSocketSource(ProcfsSocketSource.system());
    }

    @Override
    public SocketTable read() {
        Set<Long> ownInodes = procfs.ownSocketInodes();
        List<RawSocketRow> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            LibC libc = new LibC(arena);
            int fd = libc.socket(InetDiag.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, InetDiag.NETLINK_SOCK_DIAG);
            if (fd < 0) {
                throw NetlinkException.ofErrno("socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)", libc.errno());
            }
            try {
                MemorySegment buffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
                MemorySegment kernel = kernelAddress(arena);
                dump(libc, fd, buffer, kernel, InetDiag.AF_INET, SEQ_INET, rows, skipped);
                dump(libc, fd, buffer, kernel, InetDiag.AF_INET6, SEQ_INET6, rows, skipped);
            } finally {
                libc.close(fd);
            }
        }
        ownInodes.addAll(procfs.ownSocketInodes());
        return new SocketTable(rows, skipped, ownInodes);
    }

    private static void dump(LibC libc, int fd, MemorySegment buffer, MemorySegment kernel, int family, int seq,
                             List<RawSocketRow> rows, List<String> skipped) {
        ByteBuffer request = InetDiag.dumpRequest(family, seq);
        MemorySegment.copy(MemorySegment.ofBuffer(request), 0, buffer, 0, InetDiag.REQUEST_LEN);
        long sent;
        do {
            sent = libc.sendto(fd, buffer, InetDiag.REQUEST_LEN, 0, kernel, (int) kernel.byteSize());
        } while (sent < 0 && libc.errno() == Errno.EINTR);
        if (sent < 0) {
            throw NetlinkException.ofErrno("sendto(SOCK_DIAG_BY_FAMILY " + familyName(family) + ")", libc.errno());
        }
        InetDiagReplyParser parser = new InetDiagReplyParser(seq, rows, skipped);
        while (!parser.isDone()) {
            long received = libc.recv(fd, buffer, RECEIVE_BUFFER_BYTES, LibC.MSG_TRUNC);
            if (received < 0) {
                if (libc.errno() == Errno.EINTR) {
                    continue;
                }
                throw NetlinkException.ofErrno("recv(" + familyName(family) + " dump)", libc.errno());
            }
            if (received == 0) {
                throw new NetlinkException("the " + familyName(family) + " dump ended without NLMSG_DONE");
            }
            if (received > RECEIVE_BUFFER_BYTES) {
                throw new NetlinkException("the kernel's " + familyName(family) + " reply was truncated (MSG_TRUNC):"
                        + " a datagram of " + received + " bytes did not fit in " + RECEIVE_BUFFER_BYTES);
            }
            parser.parse(buffer.asSlice(0, received).asByteBuffer());
        }
    }

    /** {@code struct sockaddr_nl} of the kernel: family AF_NETLINK, port id 0, no multicast groups. */
    private static MemorySegment kernelAddress(Arena arena) {
        MemorySegment address = arena.allocate(12, 4);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) InetDiag.AF_NETLINK);
        return address;
    }

    private static String familyName(int family) {
        return family == InetDiag.AF_INET ? "AF_INET" : "AF_INET6";
    }
}
