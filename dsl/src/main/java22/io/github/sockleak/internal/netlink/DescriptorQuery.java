package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Asks one of this process's socket descriptors what it is, through the descriptor itself: its family and
 * protocol, since {@code /proc/self/fd} links Unix, UDP and netlink sockets as {@code socket:[inode]} too; its
 * local and peer addresses; and, for one without a peer, its TCP state. Four system calls at most, whatever the
 * namespace holds.
 */
final class DescriptorQuery {

    private static final int SOL_SOCKET = 1;
    private static final int SO_PROTOCOL = 38;
    private static final int SOL_TCP = 6;
    /** {@code struct tcp_info} starts with {@code u8 tcpi_state}; the kernel copies as much of it as asked for. */
    private static final int TCP_INFO = 11;
    /** {@code struct sockaddr_storage}. */
    private static final int SOCKADDR_BYTES = 128;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final LibC libc;
    private final MemorySegment local;
    private final MemorySegment peer;
    private final MemorySegment length;
    private final MemorySegment option;

    DescriptorQuery(Arena arena, LibC libc) {
        this.libc = libc;
        this.local = arena.allocate(SOCKADDR_BYTES, 8);
        this.peer = arena.allocate(SOCKADDR_BYTES, 8);
        this.length = arena.allocate(ValueLayout.JAVA_INT);
        this.option = arena.allocate(8, 8);
    }

    /**
     * The AF_INET or AF_INET6 TCP socket on {@code fd}, or empty when the descriptor holds another kind of socket,
     * or none any more (closed since it was listed).
     *
     * @throws NetlinkException when the kernel refuses to describe a socket for another reason
     */
    Optional<TcpDescriptor> tcp(int fd, long inode) {
        length.set(ValueLayout.JAVA_INT, 0, SOCKADDR_BYTES);
        if (libc.getsockname(fd, local, length) < 0) {
            return gone(fd, "getsockname");
        }
        int family = Short.toUnsignedInt(local.get(ValueLayout.JAVA_SHORT, 0));
        if (family != InetDiag.AF_INET && family != InetDiag.AF_INET6) {
            return Optional.empty();
        }
        length.set(ValueLayout.JAVA_INT, 0, Integer.BYTES);
        if (libc.getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, option, length) < 0) {
            return gone(fd, "getsockopt(SO_PROTOCOL)");
        }
        if (option.get(ValueLayout.JAVA_INT, 0) != InetDiag.IPPROTO_TCP) {
            return Optional.empty(); // UDP, MPTCP, SCTP: not in the TCP table
        }
        int addressOffset = family == InetDiag.AF_INET ? 4 : 8;
        int addressLength = family == InetDiag.AF_INET ? 4 : 16;
        byte[] localAddress = local.asSlice(addressOffset, addressLength).toArray(ValueLayout.JAVA_BYTE);
        int localPort = Short.toUnsignedInt(local.get(PORT, 2));

        length.set(ValueLayout.JAVA_INT, 0, SOCKADDR_BYTES);
        if (libc.getpeername(fd, peer, length) == 0) {
            return Optional.of(new TcpDescriptor(fd, inode, family, localAddress, localPort,
                    peer.asSlice(addressOffset, addressLength).toArray(ValueLayout.JAVA_BYTE),
                    Short.toUnsignedInt(peer.get(PORT, 2)), TcpDescriptor.Kind.CONNECTED));
        }
        if (libc.errno() != Errno.ENOTCONN) {
            return gone(fd, "getpeername");
        }
        // No peer: a listener, a socket never connected, or one whose SYN is still unanswered.
        length.set(ValueLayout.JAVA_INT, 0, 1);
        if (libc.getsockopt(fd, SOL_TCP, TCP_INFO, option, length) < 0) {
            return gone(fd, "getsockopt(TCP_INFO)");
        }
        int state = Byte.toUnsignedInt(option.get(ValueLayout.JAVA_BYTE, 0));
        TcpDescriptor.Kind kind = state == TcpState.LISTEN.code() ? TcpDescriptor.Kind.LISTENING
                : state == TcpState.CLOSE.code() ? TcpDescriptor.Kind.UNLISTED
                : TcpDescriptor.Kind.PEER_UNKNOWN;
        return Optional.of(new TcpDescriptor(fd, inode, family, localAddress, localPort, new byte[addressLength], 0, kind));
    }

    /** EBADF or ENOTSOCK: the descriptor was closed, or now holds something else; any other errno is a failure. */
    private Optional<TcpDescriptor> gone(int fd, String call) {
        int errno = libc.errno();
        if (errno == Errno.EBADF || errno == Errno.ENOTSOCK) {
            return Optional.empty();
        }
        throw NetlinkException.ofErrno(call + " on descriptor " + fd, errno);
    }
}
