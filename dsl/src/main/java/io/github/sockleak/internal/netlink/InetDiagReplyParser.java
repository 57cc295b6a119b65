package io.github.sockleak.internal.netlink;

import static io.github.sockleak.internal.netlink.InetDiag.AF_INET;
import static io.github.sockleak.internal.netlink.InetDiag.AF_INET6;
import static io.github.sockleak.internal.netlink.InetDiag.MSG_LEN;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_DONE;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_ERROR;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_HDRLEN;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_NOOP;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_OVERRUN;
import static io.github.sockleak.internal.netlink.InetDiag.NLM_F_DUMP_INTR;
import static io.github.sockleak.internal.netlink.InetDiag.SOCK_DIAG_BY_FAMILY;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.RawSocketRow;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the datagrams of one {@code SOCK_DIAG_BY_FAMILY} dump into rows, datagram by datagram, until
 * {@code NLMSG_DONE}.
 *
 * <p>What the kernel says is taken as it is; what does not hold together is refused. A header whose length
 * runs past the datagram, a socket message shorter than {@code inet_diag_msg}, an unexpected message type, a
 * reply to another request, an {@code NLMSG_ERROR} or an interrupted dump throws {@link NetlinkException}:
 * the table would be incomplete, and a caller can still read {@code /proc}. A well-formed message about a
 * socket in a state sockleak does not know is skipped and described, as the {@code /proc} parser does.
 *
 * <p>A dump walks the kernel's hash tables in several rounds, and a socket that moves between rounds can be
 * sent twice; the cookie tells, so a socket already seen is not added again.
 */
public final class InetDiagReplyParser {

    private final int expectedSeq;
    private final List<RawSocketRow> rows;
    private final List<String> skipped;
    private final Set<Long> cookies = new HashSet<>();
    private final Map<AddressKey, InetAddress> addresses = new HashMap<>();
    private boolean done;

    /**
     * @param expectedSeq the request's sequence number: every reply must carry it
     * @param rows        where the sockets go
     * @param skipped     where a line goes for each socket message that could not be used
     */
    public InetDiagReplyParser(int expectedSeq, List<RawSocketRow> rows, List<String> skipped) {
        this.expectedSeq = expectedSeq;
        this.rows = rows;
        this.skipped = skipped;
    }

    /** Whether {@code NLMSG_DONE} has been read: the dump is complete. */
    public boolean isDone() {
        return done;
    }

    /**
     * Parses one datagram, from its position to its limit. Returns whether the dump is complete.
     *
     * @throws NetlinkException when the datagram is malformed or reports an error
     */
    public boolean parse(ByteBuffer datagram) {
        ByteBuffer buffer = datagram.slice().order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset < buffer.limit()) {
            if (done) {
                throw malformed(offset, "data after NLMSG_DONE");
            }
            if (buffer.limit() - offset < NLMSG_HDRLEN) {
                throw malformed(offset, (buffer.limit() - offset) + " bytes left, too few for a nlmsghdr");
            }
            int length = buffer.getInt(offset);
            int type = Short.toUnsignedInt(buffer.getShort(offset + 4));
            int flags = Short.toUnsignedInt(buffer.getShort(offset + 6));
            int seq = buffer.getInt(offset + 8);
            if (length < NLMSG_HDRLEN || length > buffer.limit() - offset) {
                throw malformed(offset, "nlmsghdr says " + Integer.toUnsignedString(length) + " bytes, "
                        + (buffer.limit() - offset) + " remain in the datagram");
            }
            if (seq != expectedSeq) {
                throw malformed(offset, "reply to request " + Integer.toUnsignedString(seq) + ", expected " + expectedSeq);
            }
            if ((flags & NLM_F_DUMP_INTR) != 0) {
                throw new NetlinkException("the kernel interrupted the dump (NLM_F_DUMP_INTR): its table changed"
                        + " in a way it could not follow");
            }
            message(buffer, offset, length, type);
            offset += align(length);
        }
        return done;
    }

    private void message(ByteBuffer buffer, int offset, int length, int type) {
        int payload = offset + NLMSG_HDRLEN;
        int payloadLength = length - NLMSG_HDRLEN;
        switch (type) {
            case SOCK_DIAG_BY_FAMILY:
                if (payloadLength < MSG_LEN) {
                    throw malformed(offset, "inet_diag_msg of " + payloadLength + " bytes, expected at least " + MSG_LEN);
                }
                socket(buffer, payload, offset);
                break;
            case NLMSG_DONE:
                // A dump that failed part-way reports its error here, as a negative errno.
                int status = payloadLength >= 4 ? buffer.getInt(payload) : 0;
                if (status < 0) {
                    throw NetlinkException.ofErrno("NLMSG_DONE", -status);
                }
                done = true;
                break;
            case NLMSG_ERROR:
                if (payloadLength < 4) {
                    throw malformed(offset, "NLMSG_ERROR of " + payloadLength + " bytes carries no error code");
                }
                int error = buffer.getInt(payload);
                if (error != 0) {
                    throw NetlinkException.ofErrno("NLMSG_ERROR", -error);
                }
                break; // an acknowledgement: nothing to read
            case NLMSG_NOOP:
                break;
            case NLMSG_OVERRUN:
                throw new NetlinkException("the kernel reports NLMSG_OVERRUN: data was lost");
            default:
                throw malformed(offset, "unexpected message type " + type);
        }
    }

    private void socket(ByteBuffer buffer, int at, int messageOffset) {
        int family = Byte.toUnsignedInt(buffer.get(at));
        int stateCode = Byte.toUnsignedInt(buffer.get(at + 1));
        long cookie = (Integer.toUnsignedLong(buffer.getInt(at + 48)) << 32) | Integer.toUnsignedLong(buffer.getInt(at + 44));
        StandardProtocolFamily protocolFamily;
        int addressLength;
        if (family == AF_INET) {
            protocolFamily = StandardProtocolFamily.INET;
            addressLength = 4;
        } else if (family == AF_INET6) {
            protocolFamily = StandardProtocolFamily.INET6;
            addressLength = 16;
        } else {
            throw malformed(messageOffset, "address family " + family + " in a TCP dump");
        }
        TcpState state;
        try {
            state = TcpState.ofCode(stateCode);
        } catch (IllegalArgumentException e) {
            skipped.add("netlink message at offset " + messageOffset + ": " + e.getMessage() + " (cookie " + cookie + ")");
            return;
        }
        if (!cookies.add(cookie)) {
            return; // sent again by a later round of the dump: the same socket
        }
        long recvQ = Integer.toUnsignedLong(buffer.getInt(at + 56));
        long sendQ = Integer.toUnsignedLong(buffer.getInt(at + 60));
        rows.add(new RawSocketRow(
                protocolFamily,
                state,
                address(buffer, at + 8, addressLength),
                port(buffer, at + 4),
                address(buffer, at + 24, addressLength),
                port(buffer, at + 6),
                sendQ,
                recvQ,
                buffer.getInt(at + 64),
                Integer.toUnsignedLong(buffer.getInt(at + 68)),
                OptionalLong.of(cookie),
                // A listener's wqueue is its maximum backlog, sk_max_ack_backlog (ss prints it as Send-Q).
                state == TcpState.LISTEN ? OptionalInt.of((int) Math.min(sendQ, Integer.MAX_VALUE)) : OptionalInt.empty()));
    }

    /** Ports are big-endian whatever the host is. */
    private static int port(ByteBuffer buffer, int at) {
        return (Byte.toUnsignedInt(buffer.get(at)) << 8) | Byte.toUnsignedInt(buffer.get(at + 1));
    }

    /**
     * Addresses are in network order; an IPv4 one fills the first 4 of the 16 bytes. A table holds few distinct
     * addresses (on loopback, a handful for thousands of sockets), so each is built once per dump.
     */
    private InetAddress address(ByteBuffer buffer, int at, int length) {
        ByteBuffer network = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        AddressKey key = new AddressKey(network.getLong(at), length == 16 ? network.getLong(at + 8) : 0, length);
        return addresses.computeIfAbsent(key, k -> {
            byte[] bytes = new byte[length];
            buffer.get(at, bytes);
            return Addresses.of(bytes);
        });
    }

    private static final class AddressKey {
        final long high;
        final long low;
        final int length;

        AddressKey(long high, long low, int length) {
            // An IPv4 address is 4 bytes: the rest of the 8 read are not part of it.
            this.high = length == 4 ? high >>> 32 : high;
            this.low = low;
            this.length = length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof AddressKey && ((AddressKey) other).high == high
                    && ((AddressKey) other).low == low && ((AddressKey) other).length == length;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high * 31 + low) * 31 + length;
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    private NetlinkException malformed(int offset, String problem) {
        return new NetlinkException("malformed netlink reply to request " + expectedSeq + " at offset " + offset + ": " + problem);
    }
}
