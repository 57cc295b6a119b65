package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import java.nio.ByteBuffer;
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

    private final LibC libc;
    private final ByteBuffer local;
    private final ByteBuffer peer;
    private final ByteBuffer length;
    private final ByteBuffer option;

    DescriptorQuery(LibC libc) {
        this.libc = libc;
        this.local = libc.allocate(SOCKADDR_BYTES);
        this.peer = libc.allocate(SOCKADDR_BYTES);
        this.length = libc.allocate(Integer.BYTES);
        this.option = libc.allocate(8);
    }

    /**
     * The AF_INET or AF_INET6 TCP socket on {@code fd}, or empty when the descriptor holds another kind of socket,
     * or none any more (closed since it was listed).
     *
     * @throws NetlinkException when the kernel refuses to describe a socket for another reason
     */
    Optional<TcpDescriptor> tcp(int fd, long inode) {
        length.putInt(0, SOCKADDR_BYTES);
        if (libc.getsockname(fd, local, length) < 0) {
            return gone(fd, "getsockname");
        }
        int family = Short.toUnsignedInt(local.getShort(0));
        if (family != InetDiag.AF_INET && family != InetDiag.AF_INET6) {
            return Optional.empty();
        }
        length.putInt(0, Integer.BYTES);
        if (libc.getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, option, length) < 0) {
            return gone(fd, "getsockopt(SO_PROTOCOL)");
        }
        if (option.getInt(0) != InetDiag.IPPROTO_TCP) {
            return Optional.empty(); // UDP, MPTCP, SCTP: not in the TCP table
        }
        int addressOffset = family == InetDiag.AF_INET ? 4 : 8;
        int addressLength = family == InetDiag.AF_INET ? 4 : 16;
        byte[] localAddress = bytes(local, addressOffset, addressLength);
        int localPort = port(local);

        length.putInt(0, SOCKADDR_BYTES);
        if (libc.getpeername(fd, peer, length) == 0) {
            return Optional.of(new TcpDescriptor(fd, inode, family, localAddress, localPort,
                    bytes(peer, addressOffset, addressLength), port(peer), TcpDescriptor.Kind.CONNECTED));
        }
        if (libc.errno() != Errno.ENOTCONN) {
            return gone(fd, "getpeername");
        }
        // No peer: a listener, a socket never connected, or one whose SYN is still unanswered.
        length.putInt(0, 1);
        if (libc.getsockopt(fd, SOL_TCP, TCP_INFO, option, length) < 0) {
            return gone(fd, "getsockopt(TCP_INFO)");
        }
        int state = Byte.toUnsignedInt(option.get(0));
        TcpDescriptor.Kind kind = state == TcpState.LISTEN.code() ? TcpDescriptor.Kind.LISTENING
                : state == TcpState.CLOSE.code() ? TcpDescriptor.Kind.UNLISTED
                : TcpDescriptor.Kind.PEER_UNKNOWN;
        return Optional.of(new TcpDescriptor(fd, inode, family, localAddress, localPort, new byte[addressLength], 0, kind));
    }

    /** {@code sin_port} and {@code sin6_port}, at the same offset, are big-endian whatever the host is. */
    private static int port(ByteBuffer address) {
        return (Byte.toUnsignedInt(address.get(2)) << 8) | Byte.toUnsignedInt(address.get(3));
    }

    private static byte[] bytes(ByteBuffer address, int offset, int length) {
        byte[] bytes = new byte[length];
        address.get(offset, bytes);
        return bytes;
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
