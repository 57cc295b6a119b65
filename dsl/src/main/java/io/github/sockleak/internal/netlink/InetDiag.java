package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.TreeSet;

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
    /** The inet_diag request type from before sock_diag; its replies carry the same type. */
    public static final int TCPDIAG_GETSOCK = 18;

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
    /** {@code struct inet_diag_req}: u8 family, src_len, dst_len, ext; {@code inet_diag_sockid}; u32 states, dbs. */
    public static final int LEGACY_REQ_LEN = 60;
    public static final int LEGACY_REQUEST_LEN = NLMSG_HDRLEN + LEGACY_REQ_LEN;

    /**
     * Every state sockleak knows, as {@code 1 << state}: bits 1 to 12, {@code 0x1ffe}. Bit 13,
     * {@code TCP_BOUND_INACTIVE} (Linux 6.7+), would add bound-but-unused sockets that {@code /proc} never shows;
     * SYN_RECV also brings the request sockets (NEW_SYN_RECV), as {@code /proc} shows them.
     */
    public static final int ALL_STATES = allStates();

    /**
     * States of a listener's children that count in its queues: completed connections nobody accepted yet
     * (ESTABLISHED, CLOSE-WAIT once the client closed) and handshakes in progress (SYN_RECV, which the kernel
     * widens to the request sockets, NEW_SYN_RECV).
     */
    public static final int QUEUED_CHILD_STATES = (1 << TcpState.ESTABLISHED.code()) | (1 << TcpState.CLOSE_WAIT.code())
            | (1 << TcpState.SYN_RECV.code());

    /** The state bit of listeners. A dump of this state alone walks only the kernel's listener table. */
    public static final int LISTEN_STATE = 1 << TcpState.LISTEN.code();

    /**
     * {@code INET_DIAG_SKMEMINFO}: the attribute carrying a socket's {@code u32 meminfo[SK_MEMINFO_VARS]}
     * ({@code linux/sock_diag.h}). The kernel adds it to a full socket's message only when the request's
     * {@code idiag_ext} asks for it, never to a TIME-WAIT or request socket.
     */
    public static final int INET_DIAG_SKMEMINFO = 7;
    /** The {@code idiag_ext} bit asking for {@link #INET_DIAG_SKMEMINFO}: extension {@code n} is bit {@code n - 1}. */
    public static final int EXT_SKMEMINFO = 1 << (INET_DIAG_SKMEMINFO - 1);
    /** No extension: the messages carry only what every reply carries. */
    public static final int NO_EXTENSIONS = 0;
    /**
     * {@code SK_MEMINFO_DROPS}: the index of {@code sk_drops} in the meminfo array. Kernels from before it existed
     * send the first 8 values only.
     */
    public static final int SK_MEMINFO_DROPS = 8;

    /** {@code INET_DIAG_REQ_BYTECODE}: the request attribute carrying a filter program the kernel runs on each socket. */
    private static final int INET_DIAG_REQ_BYTECODE = 1;
    /** {@code struct nlattr}: u16 length, u16 type. */
    private static final int NLA_HDRLEN = 4;
    /** Filter operations ({@code enum} in {@code linux/inet_diag.h}). */
    private static final int BC_JMP = 1;
    private static final int BC_S_GE = 2;
    private static final int BC_S_LE = 3;
    /** One port's alternative in {@link #localPortFilter}: two comparisons of two operations each, and a jump. */
    private static final int JUMP_LEN = 4;
    private static final int ALTERNATIVE_LEN = 16 + JUMP_LEN;

    /** {@code INET_DIAG_NOCOOKIE}: a request for one socket that does not know its cookie yet. */
    private static final int NO_COOKIE = 0xffffffff;

    private InetDiag() {
    }

    /**
     * Writes a dump request for the TCP sockets of {@code family} ({@link #AF_INET} or {@link #AF_INET6}) whose
     * local port is one of {@code localPorts} (none: every port) and whose state is one of {@code states} (bits
     * {@code 1 << state}). The kernel runs the ports' filter ({@link #localPortFilter}) on every socket it walks,
     * listeners and connections alike, and sends only the matches: it still walks its whole hash tables, but builds
     * and copies nothing else, and one walk serves every port. Leaving {@code LISTEN} out of {@code states} skips
     * the listener table; asking for {@code LISTEN} alone skips the connection table.
     *
     * @param extensions the attributes to add to each full socket's message ({@link #EXT_SKMEMINFO}), or
     *                   {@link #NO_EXTENSIONS}
     */
    public static ByteBuffer portDumpRequest(int family, int seq, Set<Integer> localPorts, int states, int extensions) {
        byte[] filter = localPortFilter(localPorts);
        ByteBuffer request = ByteBuffer.allocate(REQUEST_LEN + attributeLength(filter)).order(ByteOrder.nativeOrder());
        header(request, SOCK_DIAG_BY_FAMILY, seq, NLM_F_REQUEST | NLM_F_DUMP);
        request.put((byte) family).put((byte) IPPROTO_TCP).put((byte) extensions).put((byte) 0)
                .putInt(states);
        return withFilter(request, REQUEST_LEN, filter);
    }

    /**
     * Writes a dump request for the TCP sockets of both families whose local port is one of {@code localPorts}
     * (none: every port) and whose state is one of {@code states}, in the request that predates sock_diag:
     * {@code TCPDIAG_GETSOCK} with a {@code struct inet_diag_req}. The kernel still serves it, through a
     * compatibility path that runs the same dump with the family left unspecified ({@code AF_UNSPEC}), so one walk
     * of its hash tables returns the sockets of both families, where {@link #portDumpRequest} needs one walk per
     * family. The replies are the same {@code inet_diag_msg}s, with message type {@code TCPDIAG_GETSOCK}. A kernel
     * without that path answers with an {@code NLMSG_ERROR} (EINVAL or EOPNOTSUPP); then ask per family. The
     * compatibility path passes {@code extensions} and the ports' filter on as {@link #portDumpRequest} does.
     */
    public static ByteBuffer legacyDumpRequest(int seq, Set<Integer> localPorts, int states, int extensions) {
        byte[] filter = localPortFilter(localPorts);
        ByteBuffer request = ByteBuffer.allocate(LEGACY_REQUEST_LEN + attributeLength(filter)).order(ByteOrder.nativeOrder());
        header(request, TCPDIAG_GETSOCK, seq, NLM_F_REQUEST | NLM_F_DUMP);
        // idiag_family is not read by the compatibility path; AF_INET is what ss wrote here.
        request.put((byte) AF_INET).put((byte) 0).put((byte) 0).put((byte) extensions);
        request.putInt(NLMSG_HDRLEN + 4 + 48, states); // then idiag_dbs, 0: unused by TCP
        return withFilter(request, LEGACY_REQUEST_LEN, filter);
    }

    /**
     * The {@code inet_diag} bytecode that accepts a socket whose local port is one of {@code ports}; empty for no
     * port. Each port is one alternative: {@code S_GE port} and {@code S_LE port} (the comparisons every kernel with
     * sock_diag has), then a jump to the end, where the program accepts. A comparison that fails goes on to the next
     * alternative, 20 bytes on; the last alternative's failures jump 4 bytes past the end, where it rejects. The
     * kernel audits a program by following its "yes" offsets, which here pass through every operation, so each "no"
     * lands on one of them or just past the end, as the audit demands.
     */
    static byte[] localPortFilter(Set<Integer> ports) {
        ByteBuffer program = ByteBuffer.allocate(Math.max(0, ports.size() * ALTERNATIVE_LEN - JUMP_LEN)).order(ByteOrder.nativeOrder());
        for (int port : new TreeSet<>(ports)) {
            if (port < 1 || port > 0xffff) {
                throw new IllegalArgumentException("a local port to dump is 1 to 65535, not " + port);
            }
            // Each operation is {u8 code, u8 yes, u16 no}; a comparison's port is the "no" of an operation after it.
            program.put((byte) BC_S_GE).put((byte) 8).putShort((short) ALTERNATIVE_LEN).putShort((short) 0).putShort((short) port);
            program.put((byte) BC_S_LE).put((byte) 8).putShort((short) (ALTERNATIVE_LEN - 8)).putShort((short) 0).putShort((short) port);
            if (program.hasRemaining()) {
                int toTheEnd = program.remaining();
                program.put((byte) BC_JMP).put((byte) JUMP_LEN).putShort((short) toTheEnd);
            }
        }
        return program.array();
    }

    /**
     * Writes a request for exactly one socket, not a dump: the kernel looks its 4-tuple up in its hash tables
     * ({@code inet_diag_find_one_icsk}), connections first, then listeners, and answers with one
     * {@code inet_diag_msg} or an {@code NLMSG_ERROR} ({@code ENOENT} when no socket has that 4-tuple). A
     * listener is asked for by its bound address and port, with a zero peer. With several listeners on one
     * address and port ({@code SO_REUSEPORT}) the kernel answers with the one a connection from that zero peer
     * would reach, which need not be the one asked about: compare inodes.
     *
     * @param local      the local address in network order, 4 bytes for {@link #AF_INET} and 16 for {@link #AF_INET6}
     * @param remote     the peer's address, of the same length; all zeros for a listener
     * @param extensions the attributes to add to the answer, as for {@link #portDumpRequest}
     */
    public static ByteBuffer socketRequest(int family, int seq, byte[] local, int localPort, byte[] remote, int remotePort,
                                           int extensions) {
        int length = family == AF_INET ? 4 : 16;
        if (local.length != length || remote.length != length) {
            throw new IllegalArgumentException("addresses of family " + family + " have " + length + " bytes, not "
                    + local.length + " and " + remote.length);
        }
        ByteBuffer request = request(family, seq, NLM_F_REQUEST, ALL_STATES, extensions);
        int id = NLMSG_HDRLEN + 8;
        putPort(request, id, localPort);
        putPort(request, id + 2, remotePort);
        request.put(id + 4, local);
        request.put(id + 20, remote);
        request.putInt(id + 40, NO_COOKIE).putInt(id + 44, NO_COOKIE);
        return request.position(0);
    }

    /** A {@code nlmsghdr} and an {@code inet_diag_req_v2} whose {@code inet_diag_sockid} is all zeros. */
    private static ByteBuffer request(int family, int seq, int flags, int states, int extensions) {
        ByteBuffer request = ByteBuffer.allocate(REQUEST_LEN).order(ByteOrder.nativeOrder());
        header(request, SOCK_DIAG_BY_FAMILY, seq, flags);
        request.put((byte) family).put((byte) IPPROTO_TCP).put((byte) extensions).put((byte) 0)
                .putInt(states);
        return request;
    }

    /** A {@code nlmsghdr} for a message filling {@code request}. */
    private static void header(ByteBuffer request, int type, int seq, int flags) {
        request.putInt(request.capacity())
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(seq)
                .putInt(0); // the kernel fills in our port id
    }

    private static int attributeLength(byte[] filter) {
        return filter.length == 0 ? 0 : NLA_HDRLEN + filter.length;
    }

    /** {@code filter} as the request's {@code INET_DIAG_REQ_BYTECODE} attribute, after its {@code length} bytes. */
    private static ByteBuffer withFilter(ByteBuffer request, int length, byte[] filter) {
        if (filter.length > 0) {
            request.putShort(length, (short) (NLA_HDRLEN + filter.length))
                    .putShort(length + 2, (short) INET_DIAG_REQ_BYTECODE)
                    .put(length + NLA_HDRLEN, filter);
        }
        return request.position(0);
    }

    /** Ports in {@code inet_diag_sockid} are big-endian whatever the host is. */
    private static void putPort(ByteBuffer request, int at, int port) {
        request.put(at, (byte) (port >>> 8)).put(at + 1, (byte) port);
    }

    private static int allStates() {
        int mask = 0;
        for (TcpState state : TcpState.values()) {
            mask |= 1 << state.code();
        }
        return mask;
    }
}
