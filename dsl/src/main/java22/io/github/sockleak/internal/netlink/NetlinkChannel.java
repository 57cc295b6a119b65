package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.RawSocketRow;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One {@code NETLINK_SOCK_DIAG} socket with its receive buffer: sends a request and reads its replies, a dump's
 * until {@code NLMSG_DONE} or a lookup's single answer. Its memory lives in the caller's confined arena, so one
 * channel serves one thread; closing it closes the socket.
 */
final class NetlinkChannel implements AutoCloseable {

    /**
     * Room for one datagram. The kernel fills a dump's datagrams up to about 32 KiB whatever the reader offers;
     * a larger one would be cut, and {@code MSG_TRUNC} makes that visible as an error rather than a short table.
     */
    static final int RECEIVE_BUFFER_BYTES = 64 * 1024;

    private final LibC libc;
    private final int fd;
    private final MemorySegment buffer;
    private final MemorySegment kernel;

    private NetlinkChannel(LibC libc, int fd, MemorySegment buffer, MemorySegment kernel) {
        this.libc = libc;
        this.fd = fd;
        this.buffer = buffer;
        this.kernel = kernel;
    }

    static NetlinkChannel open(Arena arena, LibC libc) {
        int fd = libc.socket(InetDiag.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, InetDiag.NETLINK_SOCK_DIAG);
        if (fd < 0) {
            throw NetlinkException.ofErrno("socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)", libc.errno());
        }
        return new NetlinkChannel(libc, fd, arena.allocate(RECEIVE_BUFFER_BYTES, 8), kernelAddress(arena));
    }

    /** Sends a dump request and feeds every datagram of its reply to {@code parser}; {@code what} names it in errors. */
    void dump(ByteBuffer request, InetDiagReplyParser parser, String what) {
        send(request, what);
        while (!parser.isDone()) {
            long received = receive(what);
            if (received == 0) {
                throw new NetlinkException("the " + what + " ended without NLMSG_DONE");
            }
            parser.parse(buffer.asSlice(0, received).asByteBuffer());
        }
    }

    /** Sends a request for one socket and reads the kernel's answer: the socket, or empty when it has none. */
    Optional<RawSocketRow> lookup(ByteBuffer request, int seq, InetDiagLookupReply reply, String what) {
        send(request, what);
        long received = receive(what);
        if (received == 0) {
            throw new NetlinkException("the kernel sent an empty answer to the " + what);
        }
        return reply.parse(buffer.asSlice(0, received).asByteBuffer(), seq);
    }

    private void send(ByteBuffer request, String what) {
        int length = request.remaining();
        MemorySegment.copy(MemorySegment.ofBuffer(request), 0, buffer, 0, length);
        long sent;
        do {
            sent = libc.sendto(fd, buffer, length, 0, kernel, (int) kernel.byteSize());
        } while (sent < 0 && libc.errno() == Errno.EINTR);
        if (sent < 0) {
            throw NetlinkException.ofErrno("sendto(" + what + ")", libc.errno());
        }
    }

    /** One datagram into the buffer; its length. */
    private long receive(String what) {
        long received;
        do {
            received = libc.recv(fd, buffer, RECEIVE_BUFFER_BYTES, LibC.MSG_TRUNC);
        } while (received < 0 && libc.errno() == Errno.EINTR);
        if (received < 0) {
            throw NetlinkException.ofErrno("recv(" + what + ")", libc.errno());
        }
        if (received > RECEIVE_BUFFER_BYTES) {
            throw new NetlinkException("the kernel's reply to the " + what + " was truncated (MSG_TRUNC): a datagram of "
                    + received + " bytes did not fit in " + RECEIVE_BUFFER_BYTES);
        }
        return received;
    }

    @Override
    public void close() {
        libc.close(fd);
    }

    /** {@code struct sockaddr_nl} of the kernel: family AF_NETLINK, port id 0, no multicast groups. */
    private static MemorySegment kernelAddress(Arena arena) {
        MemorySegment address = arena.allocate(12, 4);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) InetDiag.AF_NETLINK);
        return address;
    }
}
