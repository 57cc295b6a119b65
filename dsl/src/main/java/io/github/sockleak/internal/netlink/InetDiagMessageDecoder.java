package io.github.sockleak.internal.netlink;

import static io.github.sockleak.internal.netlink.InetDiag.AF_INET;
import static io.github.sockleak.internal.netlink.InetDiag.AF_INET6;
import static io.github.sockleak.internal.netlink.InetDiag.INET_DIAG_SKMEMINFO;
import static io.github.sockleak.internal.netlink.InetDiag.MSG_LEN;
import static io.github.sockleak.internal.netlink.InetDiag.SK_MEMINFO_DROPS;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.AddressCache;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.RowSink;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns one {@code inet_diag_msg} into a row, whether it answers a dump or a request for one socket. Integers are
 * in the buffer's (native) order; ports and addresses in network order.
 */
final class InetDiagMessageDecoder {

    /** A decoder serves one read, a dump or the lookups of one own-socket read: its addresses go with it. */
    private final AddressCache addresses = new AddressCache();

    /** The socket's cookie: {@code idiag_cookie[0]} is its low half. */
    static long cookie(ByteBuffer buffer, int at) {
        return (Integer.toUnsignedLong(buffer.getInt(at + 48)) << 32) | Integer.toUnsignedLong(buffer.getInt(at + 44));
    }

    /**
     * The row for the message at {@code at}, {@code length} bytes with its attributes.
     *
     * @return null when the socket is in a state sockleak does not know; {@code why} then says so
     * @throws IllegalArgumentException when the message is not about an AF_INET or AF_INET6 socket, or a
     *                                  listener's attributes do not hold together
     */
    RawSocketRow decode(ByteBuffer buffer, int at, int length, StringBuilder why) {
        OneRow decoded = new OneRow();
        return decode(buffer, at, length, why, decoded) ? decoded.row : null;
    }

    /**
     * Gives {@code sink} the socket of the message at {@code at}, {@code length} bytes with its attributes: a
     * listener as a row, any other socket as its fields ({@link RowSink#connection}).
     *
     * @return false when the socket is in a state sockleak does not know; {@code why} then says so
     * @throws IllegalArgumentException as {@link #decode(ByteBuffer, int, int, StringBuilder)}
     */
    boolean decode(ByteBuffer buffer, int at, int length, StringBuilder why, RowSink sink) {
        int family = Byte.toUnsignedInt(buffer.get(at));
        StandardProtocolFamily protocolFamily;
        int addressLength;
        if (family == AF_INET) {
            protocolFamily = StandardProtocolFamily.INET;
            addressLength = 4;
        } else if (family == AF_INET6) {
            protocolFamily = StandardProtocolFamily.INET6;
            addressLength = 16;
        } else {
            throw new IllegalArgumentException("address family " + family + " in a TCP reply");
        }
        TcpState state;
        try {
            state = TcpState.ofCode(Byte.toUnsignedInt(buffer.get(at + 1)));
        } catch (IllegalArgumentException e) {
            why.append(e.getMessage()).append(" (cookie ").append(cookie(buffer, at)).append(')');
            return false;
        }
        InetAddress local = address(buffer, at + 8, addressLength);
        int localPort = port(buffer, at + 4);
        InetAddress remote = address(buffer, at + 24, addressLength);
        int remotePort = port(buffer, at + 6);
        long recvQ = Integer.toUnsignedLong(buffer.getInt(at + 56));
        long sendQ = Integer.toUnsignedLong(buffer.getInt(at + 60));
        int uid = buffer.getInt(at + 64);
        long inode = Integer.toUnsignedLong(buffer.getInt(at + 68));
        long cookie = cookie(buffer, at);
        if (state != TcpState.LISTEN) {
            // A connection's sk_drops counts lost segments, not handshakes: only a listener's attributes are read.
            sink.connection(protocolFamily, state, local, localPort, remote, remotePort, sendQ, recvQ, uid, inode, cookie);
            return true;
        }
        sink.row(new RawSocketRow(protocolFamily, state, local, localPort, remote, remotePort, sendQ, recvQ, uid, inode,
                OptionalLong.of(cookie),
                // A listener's wqueue is its maximum backlog, sk_max_ack_backlog (ss prints it as Send-Q).
                OptionalInt.of((int) Math.min(sendQ, Integer.MAX_VALUE)),
                drops(buffer, at + MSG_LEN, at + length)));
        return true;
    }

    /** Keeps the one row a lookup's answer holds. */
    private static final class OneRow implements RowSink {

        private RawSocketRow row;

        @Override
        public void row(RawSocketRow row) {
            this.row = row;
        }

        @Override
        public void skipped(String line) {
            throw new IllegalStateException("a decoder skips no line: " + line);
        }
    }

    /**
     * {@code sk_drops} from the {@code INET_DIAG_SKMEMINFO} attribute among those from {@code from} to {@code end}:
     * empty when the request did not ask for it, or the kernel's array stops before {@code SK_MEMINFO_DROPS}.
     */
    private static OptionalLong drops(ByteBuffer buffer, int from, int end) {
        int meminfo = NetlinkAttributes.find(buffer, from, end, INET_DIAG_SKMEMINFO);
        if (meminfo < 0 || NetlinkAttributes.payloadLength(buffer, meminfo) < (SK_MEMINFO_DROPS + 1) * Integer.BYTES) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Integer.toUnsignedLong(buffer.getInt(meminfo + SK_MEMINFO_DROPS * Integer.BYTES)));
    }

    /** Ports are big-endian whatever the host is. */
    private static int port(ByteBuffer buffer, int at) {
        return (Byte.toUnsignedInt(buffer.get(at)) << 8) | Byte.toUnsignedInt(buffer.get(at + 1));
    }

    /** Addresses are in network order; an IPv4 one fills the first 4 of the 16 bytes. */
    private InetAddress address(ByteBuffer buffer, int at, int length) {
        long high = bigEndianLong(buffer, at);
        return length == 4 ? addresses.ipv4((int) (high >>> 32)) : addresses.ipv6(high, bigEndianLong(buffer, at + 8));
    }

    private static long bigEndianLong(ByteBuffer buffer, int at) {
        long value = buffer.getLong(at);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value);
    }
}
