package io.github.sockleak;

import io.github.sockleak.internal.Addresses;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A listening socket with its accept queue, as the kernel counts it and as the snapshot can see it. This
 * process's ({@link SocketSnapshot#listeners()}), or any process's ({@link SocketSnapshot#allListeners()}): its
 * {@link #socket()}'s {@link TcpSocket#owner() owner} says which, {@link Owner#THIS_PROCESS} or
 * {@link Owner#OTHER_PROCESS}, and its queued children have the owner {@link Owner#ACCEPT_QUEUE} on this process's
 * listener, {@link Owner#OTHER_PROCESS} on another's.
 *
 * <p>The kernel's depth ({@code sk_ack_backlog}) only drops when the application calls {@code accept()}. A queued
 * connection that was reset (the port-reuse effect: a new client reusing a CLOSE-WAIT child's port) vanishes
 * from every table but still counts; those invisible entries are the {@link #ghosts()}.
 */
public final class Listener {

    private final TcpSocket socket;
    private final OptionalInt backlog;
    private final List<TcpSocket> queued;
    private final OptionalLong drops;

    Listener(TcpSocket socket, OptionalInt backlog, List<TcpSocket> queued, OptionalLong drops) {
        this.socket = socket;
        this.backlog = backlog;
        this.queued = List.copyOf(queued);
        this.drops = drops;
    }

    /**
     * The listening socket itself, as the table shows it.
     *
     * @return the socket
     */
    public TcpSocket socket() {
        return socket;
    }

    /**
     * The port the listener is bound to.
     *
     * @return an assertion on that port
     */
    public int port() {
        return socket.local().getPort();
    }

    /**
     * The address the listener is bound to.
     *
     * @return the address and port
     */
    public InetSocketAddress local() {
        return socket.local();
    }

    /**
     * How many connections wait for {@code accept()}, ghosts included: {@code ss}'s Recv-Q for a listener.
     *
     * @return the depth
     */
    public int acceptQueueDepth() {
        return (int) socket.recvQ();
    }

    /**
     * The most connections the accept queue holds before the kernel drops handshakes ({@code listen()}'s backlog,
     * clamped to {@code net.core.somaxconn}). Where the source cannot see it ({@code /proc} cannot), for this
     * process's listener, the value this JVM asked for when the JUnit extension's origin agent saw the
     * {@code listen()} call; otherwise empty.
     *
     * @return the backlog, or empty where unknown
     */
    public OptionalInt backlog() {
        return backlog;
    }

    /**
     * The connections in this listener's accept queue that the table shows: ESTABLISHED or CLOSE-WAIT children
     * with no file descriptor. With {@code SO_REUSEPORT} listeners sharing an address, each lists them all.
     *
     * @return the queued connections
     */
    public List<TcpSocket> queued() {
        return queued;
    }

    /**
     * Entries the accept queue counts but no table shows ({@link #acceptQueueDepth()} minus {@link #queued()}); never negative.
     *
     * @return the count of ghosts
     */
    public int ghosts() {
        return Math.max(0, acceptQueueDepth() - queued.size());
    }

    /**
     * Whether the queue holds more than the backlog allows, so the kernel is dropping handshakes; false when the backlog is unknown.
     *
     * @return whether the queue is full
     */
    public boolean isOverflowing() {
        return backlog.isPresent() && acceptQueueDepth() > backlog.getAsInt();
    }

    /**
     * Handshakes this listener dropped since it was created, as the kernel counts them ({@code sk_drops}); present
     * on netlink, empty on {@code /proc}, which does not show it.
     *
     * <p>Each drop that the namespace's {@link TcpCounters#LISTEN_DROPS} counts for this listener counts here too:
     * a SYN or a handshake's last ACK refused because the accept queue or the SYN queue was full, or because the
     * kernel could not set the connection up. A client retrying its SYN counts once per try. Unlike those counters,
     * no other listener or process moves it. It also counts the rare segment the kernel discards for this listener
     * before looking at it (an IPsec policy, a TCP-MD5 or TCP-AO signature, a socket filter). The kernel keeps
     * 32 bits of it.
     *
     * @return the count, or empty on /proc
     */
    public OptionalLong drops() {
        return drops;
    }

    @Override
    public String toString() {
        return "Listener " + Addresses.ofListener(this)
                + " acceptQueueDepth=" + acceptQueueDepth()
                + " backlog=" + (backlog.isPresent() ? String.valueOf(backlog.getAsInt()) : "unknown")
                + " queued=" + queued.size() + " ghosts=" + ghosts()
                + (drops.isPresent() ? " drops=" + drops.getAsLong() : "");
    }
}
