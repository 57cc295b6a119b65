package io.github.sockleak.internal.netlink;

import java.nio.ByteBuffer;

/**
 * The attributes that follow a message's fixed part ({@code linux/netlink.h}): each a {@code struct nlattr}
 * ({@code u16 nla_len}, header included; {@code u16 nla_type}), then its payload, padded to 4 bytes. They are
 * checked as the kernel's {@code nla_ok} checks them: a length shorter than the header or running past the
 * message is refused.
 */
final class NetlinkAttributes {

    /** {@code NLA_HDRLEN}. */
    static final int HEADER_LENGTH = 4;
    /** {@code NLA_TYPE_MASK}: the two high bits of {@code nla_type} are flags (nested, network byte order). */
    private static final int TYPE_MASK = 0x3fff;

    private NetlinkAttributes() {
    }

    /**
     * Where the payload of the first attribute of {@code type} starts, among those from {@code from} to
     * {@code end}; -1 when there is none.
     *
     * @throws IllegalArgumentException when an attribute's length is shorter than its header or runs past {@code end}
     */
    static int find(ByteBuffer buffer, int from, int end, int type) {
        int at = from;
        while (end - at >= HEADER_LENGTH) {
            int length = Short.toUnsignedInt(buffer.getShort(at));
            if (length < HEADER_LENGTH || length > end - at) {
                throw new IllegalArgumentException("attribute at offset " + at + " says " + length + " bytes, "
                        + (end - at) + " remain in the message");
            }
            if ((Short.toUnsignedInt(buffer.getShort(at + 2)) & TYPE_MASK) == type) {
                return at + HEADER_LENGTH;
            }
            at += (length + 3) & ~3;
        }
        return -1;
    }

    /** The payload length of the attribute whose payload {@link #find} returned. */
    static int payloadLength(ByteBuffer buffer, int payload) {
        return Short.toUnsignedInt(buffer.getShort(payload - HEADER_LENGTH)) - HEADER_LENGTH;
    }
}
