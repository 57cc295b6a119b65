package io.github.sockleak;

import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.SsTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * One TCP socket of the kernel's table, as a snapshot saw it. Immutable.
 *
 * <p>{@link #local()} and {@link #remote()} give IPv4-mapped IPv6 addresses ({@code ::ffff:127.0.0.1}) as plain
 * IPv4, so a dual-stack Java socket and its IPv4 peer compare equal; {@link #family()} keeps the table the row
 * came from.
 */
public final class TcpSocket {

    /** Follows a listener's Send-Q when it is the backlog its {@code listen()} call asked for, not the kernel's. */
    static final String REQUESTED_MARK = "*";

    // A full snapshot holds one per socket of the namespace, tens of thousands: the fields are what it needs and
    // no more. The endpoints and the cookie are made when asked for, from addresses that the rows of a table share.
    private final StandardProtocolFamily family;
    private final TcpState state;
    private final InetAddress localAddress;
    private final int localPort;
    private final InetAddress remoteAddress;
    private final int remotePort;
    private final long recvQ;
    private final long sendQ;
    private final int uid;
    private final long inode;
    private final boolean hasCookie;
    private final long cookie;
    private final Owner owner;
    /** What the table prints in Send-Q when it is not {@link #sendQ}: a listener's unknown or requested backlog. */
    private final String sendQColumn;

    TcpSocket(StandardProtocolFamily family, TcpState state, InetAddress localAddress, int localPort,
              InetAddress remoteAddress, int remotePort, long recvQ, long sendQ, int uid, long inode,
              OptionalLong cookie, Owner owner) {
        this(family, state, localAddress, localPort, remoteAddress, remotePort, recvQ, sendQ, uid, inode, cookie, owner,
                null);
    }

    /**
     * @param sendQColumn what a table prints in Send-Q instead of {@code sendQ}, or null to print {@code sendQ}:
     *                    for a listener whose backlog the source cannot see, {@code ?}, or the backlog its
     *                    {@code listen()} call asked for, marked {@code *}
     */
    TcpSocket(StandardProtocolFamily family, TcpState state, InetAddress localAddress, int localPort,
              InetAddress remoteAddress, int remotePort, long recvQ, long sendQ, int uid, long inode,
              OptionalLong cookie, Owner owner, String sendQColumn) {
        this(family, state, localAddress, localPort, remoteAddress, remotePort, recvQ, sendQ, uid, inode,
                cookie.isPresent(), cookie.orElse(0), owner, sendQColumn);
    }

    /** The same, with the cookie as a flag and a number, so that a dump's socket needs no {@code OptionalLong}. */
    TcpSocket(StandardProtocolFamily family, TcpState state, InetAddress localAddress, int localPort,
              InetAddress remoteAddress, int remotePort, long recvQ, long sendQ, int uid, long inode,
              boolean hasCookie, long cookie, Owner owner, String sendQColumn) {
        this.family = family;
        this.state = state;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.recvQ = recvQ;
        this.sendQ = sendQ;
        this.uid = uid;
        this.inode = inode;
        this.hasCookie = hasCookie;
        this.cookie = cookie;
        this.owner = owner;
        this.sendQColumn = sendQColumn;
    }

    /** The same socket, held by {@code owner}. */
    TcpSocket withOwner(Owner owner) {
        return new TcpSocket(family, state, localAddress, localPort, remoteAddress, remotePort, recvQ, sendQ, uid, inode,
                hasCookie, cookie, owner, sendQColumn);
    }

    /**
     * The TCP state.
     *
     * @return the state
     */
    public TcpState state() {
        return state;
    }

    /**
     * {@code INET} for a row of {@code /proc/net/tcp}, {@code INET6} for {@code tcp6}, mapped IPv4 included.
     *
     * @return the family
     */
    public StandardProtocolFamily family() {
        return family;
    }

    /**
     * The local end, with an IPv4-mapped IPv6 address given as IPv4.
     *
     * @return the address and port
     */
    public InetSocketAddress local() {
        return new InetSocketAddress(localAddress, localPort);
    }

    /**
     * The peer; {@code 0.0.0.0:0} or {@code [::]:0} for a listener.
     *
     * @return the peer's address and port
     */
    public InetSocketAddress remote() {
        return new InetSocketAddress(remoteAddress, remotePort);
    }

    /**
     * Unread bytes, as {@code ss} prints in Recv-Q; for a listener, its accept-queue depth.
     *
     * @return the byte count, or the depth
     */
    public long recvQ() {
        return recvQ;
    }

    /**
     * Unacknowledged bytes, as {@code ss} prints in Send-Q; for a listener on netlink, its maximum backlog. A
     * listener read from {@code /proc} has 0 here, since that file has no backlog; {@link #toString()} prints
     * {@code ?} in its place, or the backlog this JVM's {@code listen()} call asked for followed by {@code *}
     * ({@code 50*}), when the JUnit extension's origin agent saw that call.
     *
     * @return the byte count, or the backlog
     */
    public long sendQ() {
        return sendQ;
    }

    /**
     * The user id that owns the socket.
     *
     * @return the uid
     */
    public int uid() {
        return uid;
    }

    /**
     * The socket's inode, 0 while no file descriptor refers to it (queued, orphaned, TIME-WAIT).
     *
     * @return the inode, 0 when no descriptor holds the socket
     */
    public long inode() {
        return inode;
    }

    /**
     * The kernel's identity for the socket over its whole life; only the netlink source has it.
     *
     * @return the cookie, or empty on /proc
     */
    public OptionalLong cookie() {
        return hasCookie ? OptionalLong.of(cookie) : OptionalLong.empty();
    }

    /**
     * Who is responsible for the socket, as far as this process can tell.
     *
     * @return the owner
     */
    public Owner owner() {
        return owner;
    }

    /**
     * Whether this process is responsible for the socket (see {@link Owner#isOwn()}).
     *
     * @return whether it is this process's
     */
    public boolean isOwn() {
        return owner.isOwn();
    }

    /**
     * One line as {@code ss -tan} prints it, plus the owner and inode. A listener's Send-Q that the source does not
     * know is {@code ?}, never a 0 that would look like a backlog; {@code 50*} is the backlog this JVM's
     * {@code listen()} call asked for (clamped to {@code net.core.somaxconn}), as the origin agent saw it.
     */
    @Override
    public String toString() {
        return String.format("%-10s %6d %6s %-22s %-22s %s ino:%d",
                state, recvQ, sendQColumn == null ? Long.toString(sendQ) : sendQColumn, Addresses.format(local()), peer(),
                owner, inode);
    }

    /**
     * Sockets as {@code ss -tan} prints them, under its header: the rows of failure messages and leak reports, for a
     * test or an example that shows what the kernel holds.
     *
     * @param sockets the sockets, in the order to print them
     * @return the header, then one line per socket as {@link #toString()} gives it
     */
    public static String table(Collection<TcpSocket> sockets) {
        return SsTable.of(sockets);
    }

    /** {@code ss} prints a listener's unset peer as {@code *:*}. */
    private String peer() {
        return remotePort == 0 && remoteAddress.isAnyLocalAddress() ? "*:*" : Addresses.format(remote());
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof TcpSocket)) {
            return false;
        }
        TcpSocket that = (TcpSocket) other;
        return family == that.family && state == that.state
                && localAddress.equals(that.localAddress) && localPort == that.localPort
                && remoteAddress.equals(that.remoteAddress) && remotePort == that.remotePort
                && recvQ == that.recvQ && sendQ == that.sendQ && uid == that.uid && inode == that.inode
                && hasCookie == that.hasCookie && cookie == that.cookie && owner == that.owner;
    }

    @Override
    public int hashCode() {
        int hash = state.hashCode();
        hash = 31 * hash + localAddress.hashCode() + localPort;
        hash = 31 * hash + remoteAddress.hashCode() + remotePort;
        return 31 * hash + Long.hashCode(inode);
    }
}
