package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The constants and the dump request of {@code NETLINK_SOCK_DIAG} for TCP ({@code linux/netlink.h},
 * {@code linux/sock_diag.h}, {@code linux/inet_diag.h}). Netlink integers are in host byte order; only the
 * ports and addresses inside {@code inet_diag_sockid} are in network order.
 */
public final class InetDiag {

    public static final int AF_NETLINK = 16;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int IPPROTO_TCP = 6;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int SOCK_DIAG_BY_FAMILY = 20;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** {@code NLM_F_ROOT | NLM_F_MATCH}. */
    public static final int NLM_F_DUMP = 0x300;

    /** {@code struct nlmsghdr}: u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    public static final int NLMSG_HDRLEN = 16;
    /** {@code struct inet_diag_req_v2}: u8 family, protocol, ext, pad; u32 states; {@code inet_diag_sockid}. */
    public static final int REQ_V2_LEN = 56;
    /** {@code struct inet_diag_msg}: u8 family, state, timer, retrans; sockid (48); u32 expires, rqueue, wqueue, uid, inode. */
    public static final int MSG_LEN = 72;
    public static final int REQUEST_LEN = NLMSG_HDRLEN + REQ_V2_LEN;

    /**
     * Every state sockleak knows, as {@code 1 << state}: bits 1 to 12, {@code 0x1ffe}. Bit 13,
     * {@code TCP_BOUND_INACTIVE} (Linux 6.7+), would add bound-but-unused sockets that {@code /proc} never shows;
     * SYN_RECV also brings the request sockets (NEW_SYN_RECV), as {@code /proc} shows them.
     */
    public static final int ALL_STATES = allStates();

    private InetDiag() {
    }

    /** Writes a dump request for every TCP socket of {@code family} ({@link #AF_INET} or {@link #AF_INET6}). */
    public static ByteBuffer dumpRequest(int family, int seq) {
        ByteBuffer request = ByteBuffer.allocate(REQUEST_LEN).order(ByteOrder.nativeOrder());
        request.putInt(REQUEST_LEN)
                .putShort((short) SOCK_DIAG_BY_FAMILY)
                .putShort((short) (NLM_F_REQUEST | NLM_F_DUMP))
                .putInt(seq)
                .putInt(0); // the kernel fills in our port id
        request.put((byte) family).put((byte) IPPROTO_TCP).put((byte) 0).put((byte) 0)
                .putInt(ALL_STATES);
        // inet_diag_sockid stays zero: match every port and address, any interface, no cookie.
        return request.position(0);
    }

    private static int allStates() {
        int mask = 0;
        for (TcpState state : TcpState.values()) {
            mask |= 1 << state.code();
        }
        return mask;
    }
}
