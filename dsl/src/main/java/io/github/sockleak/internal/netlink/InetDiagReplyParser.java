package io.github.sockleak.internal.netlink;

import static io.github.sockleak.internal.netlink.InetDiag.MSG_LEN;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_DONE;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_ERROR;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_HDRLEN;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_NOOP;
import static io.github.sockleak.internal.netlink.InetDiag.NLMSG_OVERRUN;
import static io.github.sockleak.internal.netlink.InetDiag.NLM_F_DUMP_INTR;
import static io.github.sockleak.internal.netlink.InetDiag.SOCK_DIAG_BY_FAMILY;
import static io.github.sockleak.internal.netlink.InetDiag.TCPDIAG_GETSOCK;

import io.github.sockleak.internal.RowSink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the datagrams of one {@code SOCK_DIAG_BY_FAMILY} or {@code TCPDIAG_GETSOCK} dump into rows, datagram by datagram, until
 * {@code NLMSG_DONE}.
 *
 * <p>What the kernel says is taken as it is; what does not hold together is refused. A header whose length
 * runs past the datagram, a socket message shorter than {@code inet_diag_msg}, an unexpected message type, a
 * reply to another request, an {@code NLMSG_ERROR} or an interrupted dump throws {@link NetlinkException}:
 * the table would be incomplete, and a caller can still read {@code /proc}. A well-formed message about a
 * socket in a state sockleak does not know is skipped and described, as the {@code /proc} parser does.
 *
 * <p>A dump walks the kernel's hash tables in several rounds, and a socket that moves between rounds can be
 * sent twice; the cookie tells, so a socket already seen is not added again. Dumps of one read that must not
 * list a socket twice between them share their cookies.
 */
public final class InetDiagReplyParser {

    private final int expectedSeq;
    private final RowSink rows;
    private final CookieSet cookies;
    private final InetDiagMessageDecoder decoder = new InetDiagMessageDecoder();
    /** Why the last socket was skipped; one builder for the whole dump, as almost no socket is. */
    private final StringBuilder why = new StringBuilder();
    private boolean done;
    private boolean readSockets;

    /**
     * @param expectedSeq the request's sequence number: every reply must carry it
     * @param rows        where the sockets go, and a line for each socket message that could not be used
     * @param cookies     the cookies of the sockets already read, this dump's added as they come
     */
    public InetDiagReplyParser(int expectedSeq, RowSink rows, CookieSet cookies) {
        this.expectedSeq = expectedSeq;
        this.rows = rows;
        this.cookies = cookies;
    }

    /** Whether a message about a socket has been read, kept or not. */
    public boolean hasReadSockets() {
        return readSockets;
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
            case TCPDIAG_GETSOCK: // the answer to a legacy request, same message
                if (payloadLength < MSG_LEN) {
                    throw malformed(offset, "inet_diag_msg of " + payloadLength + " bytes, expected at least " + MSG_LEN);
                }
                socket(buffer, payload, payloadLength, offset);
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

    private void socket(ByteBuffer buffer, int at, int length, int messageOffset) {
        readSockets = true;
        if (!cookies.add(InetDiagMessageDecoder.cookie(buffer, at))) {
            return; // sent again by a later round of the dump: the same socket
        }
        why.setLength(0);
        boolean decoded;
        try {
            decoded = decoder.decode(buffer, at, length, why, rows);
        } catch (IllegalArgumentException e) {
            throw malformed(messageOffset, e.getMessage());
        }
        if (!decoded) {
            rows.skipped("netlink message at offset " + messageOffset + ": " + why);
        }
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    private NetlinkException malformed(int offset, String problem) {
        return new NetlinkException("malformed netlink reply to request " + expectedSeq + " at offset " + offset + ": " + problem);
    }
}
