package io.github.sockleak.internal.netlink;

import static io.github.sockleak.internal.netlink.InetDiag.MSG_LEN;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_ERROR;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_HDRLEN;
import static io.github.sockleak.internal.netlink.InetDiag.SOCK_DIAG_BY_FAMILY;

import io.github.sockleak.internal.RawSocketRow;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Reads the kernel's answers to requests for one socket ({@link InetDiag#socketRequest}): each is one datagram
 * holding either the socket's {@code inet_diag_msg} or an {@code NLMSG_ERROR}, where {@code ENOENT} means that
 * no socket has the 4-tuple asked for. Anything else is refused as {@link InetDiagReplyParser} refuses it.
 */
public final class InetDiagLookupReply {

    private final List<String> skipped;
    private final InetDiagMessageDecoder decoder = new InetDiagMessageDecoder();

    /** @param skipped where a line goes for a socket in a state sockleak does not know */
    public InetDiagLookupReply(List<String> skipped) {
        this.skipped = skipped;
    }

    /**
     * The socket the datagram (position to limit) describes, or empty when the kernel has no socket with that
     * 4-tuple.
     *
     * @throws NetlinkException when the datagram is malformed, answers another request, or reports another error
     */
    public Optional<RawSocketRow> parse(ByteBuffer datagram, int expectedSeq) {
        ByteBuffer buffer = datagram.slice().order(ByteOrder.nativeOrder());
        if (buffer.limit() < NLMSG_HDRLEN) {
            throw malformed(expectedSeq, buffer.limit() + " bytes, too few for a nlmsghdr");
        }
        int length = buffer.getInt(0);
        int type = Short.toUnsignedInt(buffer.getShort(4));
        int seq = buffer.getInt(8);
        if (length < NLMSG_HDRLEN || length > buffer.limit()) {
            throw malformed(expectedSeq, "nlmsghdr says " + Integer.toUnsignedString(length) + " bytes, the datagram has "
                    + buffer.limit());
        }
        if (seq != expectedSeq) {
            throw malformed(expectedSeq, "reply to request " + Integer.toUnsignedString(seq));
        }
        int payloadLength = length - NLMSG_HDRLEN;
        switch (type) {
            case SOCK_DIAG_BY_FAMILY:
                if (payloadLength < MSG_LEN) {
                    throw malformed(expectedSeq, "inet_diag_msg of " + payloadLength + " bytes, expected at least " + MSG_LEN);
                }
                StringBuilder why = new StringBuilder();
                RawSocketRow row;
                try {
                    row = decoder.decode(buffer, NLMSG_HDRLEN, payloadLength, why);
                } catch (IllegalArgumentException e) {
                    throw malformed(expectedSeq, e.getMessage());
                }
                if (row == null) {
                    skipped.add("netlink reply to request " + expectedSeq + ": " + why);
                }
                return Optional.ofNullable(row);
            case NLMSG_ERROR:
                if (payloadLength < 4) {
                    throw malformed(expectedSeq, "NLMSG_ERROR of " + payloadLength + " bytes carries no error code");
                }
                int errno = -buffer.getInt(NLMSG_HDRLEN);
                if (errno == Errno.ENOENT) {
                    return Optional.empty();
                }
                throw NetlinkException.ofErrno("SOCK_DIAG_BY_FAMILY request for one socket", errno);
            default:
                throw malformed(expectedSeq, "unexpected message type " + type);
        }
    }

    private static NetlinkException malformed(int seq, String problem) {
        return new NetlinkException("malformed netlink reply to request " + seq + ": " + problem);
    }
}
