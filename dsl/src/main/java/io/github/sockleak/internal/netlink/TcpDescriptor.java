package io.github.sockleak.internal.netlink;

/**
 * A TCP socket on one of this process's descriptors, as the descriptor itself describes it.
 *
 * @param inode  the socket's inode as {@code /proc/self/fd} linked it, to check the kernel's answer against
 * @param family {@link InetDiag#AF_INET} or {@link InetDiag#AF_INET6}
 * @param local  the bound address in network order, 4 or 16 bytes
 * @param remote the peer's address, all zeros when it has none
 */
record TcpDescriptor(int fd, long inode, int family, byte[] local, int localPort, byte[] remote, int remotePort, Kind kind) {

    /** How the kernel can be asked about the socket. */
    enum Kind {
        /** It has a peer: the kernel finds it by its 4-tuple. */
        CONNECTED,
        /** It listens: the kernel finds it by its bound address and port. */
        LISTENING,
        /**
         * TCP_CLOSE: bound or new and never connected, or reset. The kernel lists it in none of its tables, so no
         * dump and no {@code /proc} row shows it either.
         */
        UNLISTED,
        /** In another state without a peer name (SYN-SENT: {@code getpeername} says ENOTCONN): only a dump finds it. */
        PEER_UNKNOWN
    }
}
