package io.github.sockleak;

import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.BacklogHints;
import io.github.sockleak.internal.ListedDescriptors;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.SocketTable;
import io.github.sockleak.internal.TableSink;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a source's raw rows into a {@link SocketSnapshot}: decides each socket's {@link Owner} and gives each
 * listener, this process's or another's, the children waiting in its accept queue. The only place that interprets
 * rows.
 *
 * <p>It takes the rows one at a time, as a source reads them ({@link TableSink}), so that a dump of the whole table
 * becomes sockets while each datagram is still in the cache. Most rows of a namespace are connections on a
 * descriptor or TIME-WAIT, whose socket is known at once; a listener, and a child without a descriptor that may wait
 * in some listener's queue, keep a place in the table and are decided once every listener has been read.
 */
final class SnapshotBuilder implements TableSink {

    /** States of a completed child nobody has accepted yet: it counts in the listener's accept-queue depth. */
    private static final Set<TcpState> QUEUED_STATES = EnumSet.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
    /** A handshake in progress for a listener: its SYN queue, not yet its accept queue. */
    private static final Set<TcpState> HANDSHAKE_STATES = EnumSet.of(TcpState.SYN_RECV, TcpState.NEW_SYN_RECV);

    private final SnapshotSource source;
    private final SnapshotCoverage coverage;
    private final String sourceReason;
    /** Asked once per row of the namespace: a sorted array, where a Set<Long> would box each row's inode. */
    private long[] ownInodes = {};
    /** Own inodes first named after some rows were decided without them: those rows are looked at again. */
    private final Set<Long> lateOwnInodes = new HashSet<>();
    /** Every listener of the table, whoever holds it: a namespace has a few hundred, against its many connections. */
    private final Map<Integer, List<RawSocketRow>> listenersByPort = new HashMap<>();
    /** In table order; null where a {@link #pending} row goes. */
    private final List<TcpSocket> all = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    /**
     * By identity: a read hands out one address object per distinct address ({@link
     * io.github.sockleak.internal.AddressCache}), and an {@code Inet6Address} computes its hash from its bytes at
     * every call, twice a row.
     */
    private final Map<InetAddress, InetAddress> normalised = new IdentityHashMap<>();

    private SnapshotBuilder(SnapshotSource source, SnapshotCoverage coverage, String sourceReason) {
        this.source = source;
        this.coverage = coverage;
        this.sourceReason = sourceReason;
    }

    static SocketSnapshot build(SnapshotSource source, SnapshotCoverage coverage, String sourceReason, SocketTable table) {
        SnapshotBuilder builder = new SnapshotBuilder(source, coverage, sourceReason);
        table.into(builder);
        return builder.snapshot();
    }

    /** Reads {@code reader}'s rows straight into the snapshot, none kept longer than it takes to decide it. */
    static SocketSnapshot build(SnapshotSource source, SnapshotCoverage coverage, String sourceReason, SocketSource reader) {
        SnapshotBuilder builder = new SnapshotBuilder(source, coverage, sourceReason);
        reader.read(builder);
        return builder.snapshot();
    }

    @Override
    public void ownInodes(Collection<Long> inodes) {
        boolean rowsDecided = !all.isEmpty();
        int known = ownInodes.length;
        long[] joined = Arrays.copyOf(ownInodes, known + inodes.size());
        int size = known;
        for (long inode : inodes) {
            if (!isOwn(inode)) {
                joined[size++] = inode;
                if (rowsDecided) {
                    lateOwnInodes.add(inode);
                }
            }
        }
        ownInodes = Arrays.copyOf(joined, size);
        Arrays.sort(ownInodes);
    }

    @Override
    public void row(RawSocketRow row) {
        if (decidedLast(row.state(), row.inode())) {
            if (row.state() == TcpState.LISTEN) {
                listenersByPort.computeIfAbsent(row.localPort(), port -> new ArrayList<>()).add(row);
            }
            pending.add(new Pending(all.size(), row));
            all.add(null);
            return;
        }
        all.add(socket(row, owner(row, false), null));
    }

    /** {@link #row} without the row: most sockets of a dump become a socket here with no object in between. */
    @Override
    public void connection(StandardProtocolFamily family, TcpState state, InetAddress local, int localPort,
                           InetAddress remote, int remotePort, long sendQ, long recvQ, int uid, long inode, long cookie) {
        if (decidedLast(state, inode)) {
            TableSink.super.connection(family, state, local, localPort, remote, remotePort, sendQ, recvQ, uid, inode, cookie);
            return;
        }
        all.add(new TcpSocket(family, state, normalised(local), localPort, normalised(remote), remotePort, recvQ, sendQ,
                uid, inode, true, cookie, owner(inode, state, false), null));
    }

    @Override
    public void skipped(String line) {
        skipped.add(line);
    }

    private SocketSnapshot snapshot() {
        ListedDescriptors.seen(ownInodes);
        if (!lateOwnInodes.isEmpty()) {
            all.replaceAll(socket -> socket != null && lateOwnInodes.contains(socket.inode())
                    ? socket.withOwner(Owner.THIS_PROCESS) : socket);
        }
        Map<RawSocketRow, ListenerSocket> listenerSockets = new IdentityHashMap<>();
        for (Pending each : pending) {
            RawSocketRow row = each.row;
            if (row.state() == TcpState.LISTEN) {
                Owner owner = owner(row, false);
                OptionalInt backlog = backlog(row, owner);
                TcpSocket socket = socket(row, owner, sendQColumn(row, backlog));
                all.set(each.index, socket);
                listenerSockets.put(row, new ListenerSocket(socket, backlog, row.drops(), new ArrayList<>()));
            }
        }
        // Only a child without a descriptor, in a state a queued child has, can be in some listener's queue.
        for (Pending child : pending) {
            RawSocketRow row = child.row;
            if (row.state() == TcpState.LISTEN) {
                continue;
            }
            List<RawSocketRow> listeners = listenersOf(row, listenersByPort.getOrDefault(row.localPort(), List.of()));
            boolean onOwnListener = false;
            for (RawSocketRow listener : listeners) {
                onOwnListener |= listener.inode() != 0 && isOwn(listener.inode());
            }
            TcpSocket socket = socket(row, owner(row, onOwnListener), null);
            all.set(child.index, socket);
            if (QUEUED_STATES.contains(row.state())) {
                for (RawSocketRow listener : listeners) {
                    listenerSockets.get(listener).queued.add(socket);
                }
            }
        }

        List<Listener> listeners = new ArrayList<>(listenerSockets.size());
        for (ListenerSocket listener : listenerSockets.values()) {
            listeners.add(new Listener(listener.socket, listener.backlog, listener.queued, listener.drops));
        }
        listeners.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return new SocketSnapshot(source, coverage, sourceReason, all, listeners, skipped);
    }

    /** A listener, or a child without a descriptor that may wait in a listener's queue: decided once all are known. */
    private static boolean decidedLast(TcpState state, long inode) {
        return state == TcpState.LISTEN || inode == 0 && canBeQueued(state);
    }

    private static boolean canBeQueued(TcpState state) {
        return QUEUED_STATES.contains(state) || HANDSHAKE_STATES.contains(state);
    }

    /**
     * The kernel's backlog where the source shows it; otherwise, for this process's listener only, what its
     * {@code listen()} call asked for if something saw it. Another process's {@code listen()} is never seen here,
     * and a hint by address could belong to a listener of ours that closed since.
     */
    private OptionalInt backlog(RawSocketRow row, Owner owner) {
        if (row.backlog().isPresent() || owner != Owner.THIS_PROCESS) {
            return row.backlog();
        }
        return BacklogHints.backlogOf(new InetSocketAddress(normalised(row.local()), row.localPort()));
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

    /** A row decided once every listener is known, and where its socket goes in the table. */
    private record Pending(int index, RawSocketRow row) {
    }

    /** A listener's socket, with the children found in its accept queue so far. */
    private record ListenerSocket(TcpSocket socket, OptionalInt backlog, OptionalLong drops, List<TcpSocket> queued) {
    }

    private boolean isOwn(long inode) {
        return Arrays.binarySearch(ownInodes, inode) >= 0;
    }

    private Owner owner(RawSocketRow row, boolean onOwnListener) {
        return owner(row.inode(), row.state(), onOwnListener);
    }

    private Owner owner(long inode, TcpState state, boolean onOwnListener) {
        if (inode != 0) {
            return isOwn(inode) ? Owner.THIS_PROCESS : Owner.OTHER_PROCESS;
        }
        if (onOwnListener && canBeQueued(state)) {
            return Owner.ACCEPT_QUEUE;
        }
        if (canBeQueued(state)) {
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

    private TcpSocket socket(RawSocketRow row, Owner owner, String sendQColumn) {
        return new TcpSocket(row.family(), row.state(),
                normalised(row.local()), row.localPort(),
                normalised(row.remote()), row.remotePort(),
                row.recvQ(), row.sendQ(), row.uid(), row.inode(), row.cookie(), owner, sendQColumn);
    }

    /**
     * {@link Addresses#normalise}, once per IPv6 address object of the snapshot: a table holds a handful of
     * addresses for thousands of sockets (Java's dual-stack sockets put IPv4 peers in {@code tcp6} as mapped
     * addresses), and normalising a mapped one copies its bytes and builds a new address every time. An IPv4
     * address is already normal: no lookup.
     */
    private InetAddress normalised(InetAddress address) {
        return address instanceof Inet6Address ? normalised.computeIfAbsent(address, Addresses::normalise) : address;
    }
}
