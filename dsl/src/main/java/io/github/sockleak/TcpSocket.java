package io.github.sockleak;

import io.github.sockleak.internal.Addresses;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One TCP socket of the kernel's table, as a snapshot saw it. Immutable.
 *
 * <p>{@link #local()} and {@link #remote()} give IPv4-mapped IPv6 addresses ({@code ::ffff:127.0.0.1}) as plain
 * IPv4, so a dual-stack Java socket and its IPv4 peer compare equal; {@link #family()} keeps the table the row
 * came from.
 */
public final class TcpSocket {

    private final StandardProtocolFamily family;
    private final TcpState state;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final long recvQ;
    private final long sendQ;
    private final int uid;
    private final long inode;
    private final OptionalLong cookie;
    private final Owner owner;

    TcpSocket(StandardProtocolFamily family, TcpState state, InetSocketAddress local, InetSocketAddress remote,
              long recvQ, long sendQ, int uid, long inode, OptionalLong cookie, Owner owner) {
        this.family = family;
        this.state = state;
        this.local = local;
        this.remote = remote;
        this.recvQ = recvQ;
        this.sendQ = sendQ;
        this.uid = uid;
        this.inode = inode;
        this.cookie = cookie;
        this.owner = owner;
    }

    public TcpState state() {
        return state;
    }

    /** {@code INET} for a row of {@code /proc/net/tcp}, {@code INET6} for {@code tcp6}, mapped IPv4 included. */
    public StandardProtocolFamily family() {
        return family;
    }

    public InetSocketAddress local() {
        return local;
    }

    /** The peer; {@code 0.0.0.0:0} or {@code [::]:0} for a listener. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Unread bytes, as {@code ss} prints in Recv-Q; for a listener, its accept-queue depth. */
    public long recvQ() {
        return recvQ;
    }

    /** Unacknowledged bytes, as {@code ss} prints in Send-Q; for a listener on netlink, its maximum backlog. */
    public long sendQ() {
        return sendQ;
    }

    public int uid() {
        return uid;
    }

    /** The socket's inode, 0 while no file descriptor refers to it (queued, orphaned, TIME-WAIT). */
    public long inode() {
        return inode;
    }

    /** The kernel's identity for the socket over its whole life; only the netlink source has it. */
    public OptionalLong cookie() {
        return cookie;
    }

    public Owner owner() {
        return owner;
    }

    /** Whether this process is responsible for the socket (see {@link Owner#isOwn()}). */
    public boolean isOwn() {
        return owner.isOwn();
    }

    /** One line as {@code ss -tan} prints it, plus the owner and inode. */
    @Override
    public String toString() {
        return String.format("%-10s %6d %6d %-22s %-22s %s ino:%d",
                state, recvQ, sendQ, Addresses.format(local), peer(), owner, inode);
    }

    /** {@code ss} prints a listener's unset peer as {@code *:*}. */
    private String peer() {
        return remote.getPort() == 0 && remote.getAddress().isAnyLocalAddress() ? "*:*" : Addresses.format(remote);
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
        return family == that.family && state == that.state && local.equals(that.local) && remote.equals(that.remote)
                && recvQ == that.recvQ && sendQ == that.sendQ && uid == that.uid && inode == that.inode
                && cookie.equals(that.cookie) && owner == that.owner;
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, local, remote, inode);
    }
}
