package io.github.sockleak;

import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.BacklogHints;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketTable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns a source's raw rows into a {@link SocketSnapshot}: decides each socket's {@link Owner} and gives each
 * listener, this process's or another's, the children waiting in its accept queue. The only place that interprets
 * rows.
 */
final class SnapshotBuilder {

    /** States of a completed child nobody has accepted yet: it counts in the listener's accept-queue depth. */
    private static final Set<TcpState> QUEUED_STATES = EnumSet.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
    /** A handshake in progress for a listener: its SYN queue, not yet its accept queue. */
    private static final Set<TcpState> HANDSHAKE_STATES = EnumSet.of(TcpState.SYN_RECV, TcpState.NEW_SYN_RECV);

    private SnapshotBuilder() {
    }

    static SocketSnapshot build(SnapshotSource source, SnapshotCoverage coverage, String sourceReason, SocketTable table) {
        // Asked once per row of the namespace: a sorted array, where a Set<Long> would box each row's inode.
        long[] ownInodes = table.ownInodes().stream().mapToLong(Long::longValue).sorted().toArray();
        // Every listener of the table, whoever holds it: a namespace has a few hundred, against its many connections.
        Map<Integer, List<RawSocketRow>> listenersByPort = new HashMap<>();
        for (RawSocketRow row : table.rows()) {
            if (row.state() == TcpState.LISTEN) {
                listenersByPort.computeIfAbsent(row.localPort(), port -> new ArrayList<>()).add(row);
            }
        }

        List<TcpSocket> all = new ArrayList<>(table.rows().size());
        Map<InetAddress, InetAddress> normalised = new HashMap<>();
        Map<RawSocketRow, List<TcpSocket>> queuedByListener = new IdentityHashMap<>();
        Map<RawSocketRow, ListenerSocket> listenerSockets = new IdentityHashMap<>();
        for (RawSocketRow row : table.rows()) {
            // Most rows of a namespace are connections on a descriptor or TIME-WAIT: no lookup, no list. Only a
            // child without a descriptor, in a state a queued child has, can be in some listener's queue.
            List<RawSocketRow> listeners = row.inode() == 0 && !listenersByPort.isEmpty() && canBeQueued(row.state())
                    ? listenersOf(row, listenersByPort.getOrDefault(row.localPort(), List.of()))
                    : List.of();
            boolean onOwnListener = false;
            for (RawSocketRow listener : listeners) {
                onOwnListener |= listener.inode() != 0 && isOwn(listener.inode(), ownInodes);
            }
            Owner owner = owner(row, ownInodes, onOwnListener);
            TcpSocket socket;
            if (row.state() == TcpState.LISTEN) {
                OptionalInt backlog = backlog(row, owner, normalised);
                socket = socket(row, owner, normalised, sendQColumn(row, backlog));
                listenerSockets.put(row, new ListenerSocket(socket, backlog));
            } else {
                socket = socket(row, owner, normalised, null);
            }
            all.add(socket);
            if (QUEUED_STATES.contains(row.state())) {
                for (RawSocketRow listener : listeners) {
                    queuedByListener.computeIfAbsent(listener, l -> new ArrayList<>()).add(socket);
                }
            }
        }

        List<Listener> listeners = new ArrayList<>(listenerSockets.size());
        listenerSockets.forEach((row, listener) ->
                listeners.add(new Listener(listener.socket, listener.backlog, queuedByListener.getOrDefault(row, List.of()),
                        row.drops())));
        listeners.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return new SocketSnapshot(source, coverage, sourceReason, all, listeners, table.skipped());
    }

    private static boolean canBeQueued(TcpState state) {
        return QUEUED_STATES.contains(state) || HANDSHAKE_STATES.contains(state);
    }

    /**
     * The kernel's backlog where the source shows it; otherwise, for this process's listener only, what its
     * {@code listen()} call asked for if something saw it. Another process's {@code listen()} is never seen here,
     * and a hint by address could belong to a listener of ours that closed since.
     */
    private static OptionalInt backlog(RawSocketRow row, Owner owner, Map<InetAddress, InetAddress> normalised) {
        if (row.backlog().isPresent() || owner != Owner.THIS_PROCESS) {
            return row.backlog();
        }
        return BacklogHints.backlogOf(new InetSocketAddress(normalised(row.local(), normalised), row.localPort()));
    }

    /**
     * A listener's Send-Q as a table prints it: the source's number when it is the kernel's backlog (netlink),
     * the backlog {@code listen()} asked for, marked, when only that is known, and {@code ?} when nothing is:
     * {@code /proc}'s 0 there is no backlog, and a 0 that looks like one is worse than no number.
     */
    private static String sendQColumn(RawSocketRow row, OptionalInt backlog) {
        if (row.backlog().isPresent()) {
            return null;
        }
        return backlog.isPresent() ? backlog.getAsInt() + TcpSocket.REQUESTED_MARK : "?";
    }

    private record ListenerSocket(TcpSocket socket, OptionalInt backlog) {
    }

    private static boolean isOwn(long inode, long[] ownInodes) {
        return Arrays.binarySearch(ownInodes, inode) >= 0;
    }

    private static Owner owner(RawSocketRow row, long[] ownInodes, boolean onOwnListener) {
        if (row.inode() != 0) {
            return isOwn(row.inode(), ownInodes) ? Owner.THIS_PROCESS : Owner.OTHER_PROCESS;
        }
        if (onOwnListener && canBeQueued(row.state())) {
            return Owner.ACCEPT_QUEUE;
        }
        if (canBeQueued(row.state())) {
            // No descriptor yet, and not one of our listeners: queued on somebody else's.
            return Owner.OTHER_PROCESS;
        }
        return Owner.ORPHAN;
    }

    /**
     * The listeners whose accept queue the inode-less {@code child} can be in. A child inherits its
     * listener's family (an IPv4 client of a dual-stack {@code [::]} listener is a mapped row in {@code tcp6}),
     * so a listener matches when its family and port are the child's and its address is the child's local
     * address or the wildcard; an exact address beats the wildcard, as in the kernel's lookup. Several
     * listeners can tie ({@code SO_REUSEPORT}); the table cannot tell which queue holds the child.
     */
    private static List<RawSocketRow> listenersOf(RawSocketRow child, List<RawSocketRow> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<RawSocketRow> exact = new ArrayList<>();
        List<RawSocketRow> wildcard = new ArrayList<>();
        for (RawSocketRow listener : candidates) {
            if (listener.family() != child.family()) {
                continue;
            }
            if (listener.local().equals(child.local())) {
                exact.add(listener);
            } else if (listener.local().isAnyLocalAddress()) {
                wildcard.add(listener);
            }
        }
        return exact.isEmpty() ? wildcard : exact;
    }

    private static TcpSocket socket(RawSocketRow row, Owner owner, Map<InetAddress, InetAddress> normalised,
                                    String sendQColumn) {
        return new TcpSocket(row.family(), row.state(),
                normalised(row.local(), normalised), row.localPort(),
                normalised(row.remote(), normalised), row.remotePort(),
                row.recvQ(), row.sendQ(), row.uid(), row.inode(), row.cookie(), owner, sendQColumn);
    }

    /**
     * {@link Addresses#normalise}, once per distinct IPv6 address of the snapshot: a table holds a handful of
     * addresses for thousands of sockets (Java's dual-stack sockets put IPv4 peers in {@code tcp6} as mapped
     * addresses), and normalising a mapped one copies its bytes and builds a new address every time. An IPv4
     * address is already normal: no lookup.
     */
    private static InetAddress normalised(InetAddress address, Map<InetAddress, InetAddress> cache) {
        return address instanceof Inet6Address ? cache.computeIfAbsent(address, Addresses::normalise) : address;
    }
}
