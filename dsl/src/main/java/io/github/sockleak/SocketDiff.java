package io.github.sockleak;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * What changed between two snapshots, socket by socket rather than by count: a connection that closed while
 * another opened leaves the count equal and still shows here.
 *
 * <p>Sockets are matched by their 4-tuple (local and remote endpoint). Within a 4-tuple, a socket is the same
 * one when the kernel's cookie says so; without cookies ({@code /proc}), when its inode did not change from one
 * descriptor to another and its state could have followed the earlier one (the TCP state machine only moves
 * forward: a CLOSE-WAIT that is ESTABLISHED again is a new connection).
 *
 * <p>Compare snapshots of the same {@link SnapshotCoverage}: a {@link SnapshotCoverage#PROCESS} snapshot leaves
 * other processes' sockets out, so against a {@link SnapshotCoverage#NAMESPACE} one they would show as opened or
 * closed. This process's own sockets are in both kinds alike.
 */
public final class SocketDiff {

    /**
     * A 4-tuple whose socket was replaced between the snapshots: the seed case, a queued CLOSE-WAIT child reset
     * by a client reusing its port and succeeded by a fresh ESTABLISHED child.
     *
     * @param before the socket the earlier snapshot had on the 4-tuple
     * @param after  the socket the later snapshot has on it instead
     */
    public record Reuse(TcpSocket before, TcpSocket after) {

        /**
         * The local end of the reused 4-tuple.
         *
         * @return the address and port
         */
        public InetSocketAddress local() {
            return after.local();
        }

        /**
         * The remote end of the reused 4-tuple.
         *
         * @return the peer's address and port
         */
        public InetSocketAddress remote() {
            return after.remote();
        }

        @Override
        public String toString() {
            return before.state() + " -> " + after.state() + " " + after;
        }
    }

    private final SocketSnapshot before;
    private final SocketSnapshot after;
    private final List<TcpSocket> opened;
    private final List<TcpSocket> closed;
    private final List<Reuse> reused;

    private SocketDiff(SocketSnapshot before, SocketSnapshot after, List<TcpSocket> opened, List<TcpSocket> closed,
                       List<Reuse> reused) {
        this.before = before;
        this.after = after;
        this.opened = List.copyOf(opened);
        this.closed = List.copyOf(closed);
        this.reused = List.copyOf(reused);
    }

    static SocketDiff between(SocketSnapshot before, SocketSnapshot after) {
        Pairing pairing = pair(before.all(), after.all());
        return new SocketDiff(before, after, pairing.opened(), pairing.closed(), pairing.reused());
    }

    /**
     * The one place that decides which socket of {@code after} is which of {@code before}: for a diff, and for a
     * recording that follows each socket from sample to sample.
     */
    static Pairing pair(List<TcpSocket> before, List<TcpSocket> after) {
        Map<FourTuple, List<TcpSocket>> earlier = byFourTuple(before);
        Map<FourTuple, List<TcpSocket>> later = byFourTuple(after);
        List<Same> same = new ArrayList<>();
        List<TcpSocket> opened = new ArrayList<>();
        List<TcpSocket> closed = new ArrayList<>();
        List<Reuse> reused = new ArrayList<>();
        for (Map.Entry<FourTuple, List<TcpSocket>> entry : later.entrySet()) {
            List<TcpSocket> gone = new ArrayList<>(earlier.getOrDefault(entry.getKey(), List.of()));
            List<TcpSocket> fresh = new ArrayList<>(entry.getValue());
            // Certain matches first, so a weaker match cannot take a socket that has a certain partner.
            removePairs(gone, fresh, SocketDiff::certainlySame, same);
            removePairs(gone, fresh, SocketDiff::possiblySame, same);
            for (int i = 0; i < Math.min(gone.size(), fresh.size()); i++) {
                reused.add(new Reuse(gone.get(i), fresh.get(i)));
            }
            closed.addAll(gone);
            opened.addAll(fresh);
        }
        earlier.forEach((tuple, sockets) -> {
            if (!later.containsKey(tuple)) {
                closed.addAll(sockets);
            }
        });
        return new Pairing(same, opened, closed, reused);
    }

    /**
     * Two lists of sockets paired by identity.
     *
     * @param same   each socket of the later list that is one of the earlier list, with it
     * @param opened sockets only the later list has, replacements included
     * @param closed sockets only the earlier list has, replaced ones included
     * @param reused 4-tuples whose socket was replaced
     */
    record Pairing(List<Same> same, List<TcpSocket> opened, List<TcpSocket> closed, List<Reuse> reused) {
    }

    /** One socket seen in both lists. */
    record Same(TcpSocket before, TcpSocket after) {
    }

    private static Map<FourTuple, List<TcpSocket>> byFourTuple(List<TcpSocket> sockets) {
        Map<FourTuple, List<TcpSocket>> index = new LinkedHashMap<>();
        for (TcpSocket socket : sockets) {
            index.computeIfAbsent(new FourTuple(socket.local(), socket.remote()), t -> new ArrayList<>(1)).add(socket);
        }
        return index;
    }

    private static void removePairs(List<TcpSocket> gone, List<TcpSocket> fresh, BiPredicate<TcpSocket, TcpSocket> same,
                                    List<Same> pairs) {
        for (Iterator<TcpSocket> earlier = gone.iterator(); earlier.hasNext(); ) {
            TcpSocket candidate = earlier.next();
            for (Iterator<TcpSocket> later = fresh.iterator(); later.hasNext(); ) {
                TcpSocket next = later.next();
                if (same.test(candidate, next)) {
                    pairs.add(new Same(candidate, next));
                    earlier.remove();
                    later.remove();
                    break;
                }
            }
        }
    }

    private static boolean certainlySame(TcpSocket before, TcpSocket after) {
        if (before.cookie().isPresent() && after.cookie().isPresent()) {
            return before.cookie().getAsLong() == after.cookie().getAsLong();
        }
        return before.inode() != 0 && before.inode() == after.inode() && before.state().canBecome(after.state());
    }

    private static boolean possiblySame(TcpSocket before, TcpSocket after) {
        if (before.cookie().isPresent() && after.cookie().isPresent()) {
            return false; // cookies decided already
        }
        boolean inodesConflict = before.inode() != 0 && after.inode() != 0 && before.inode() != after.inode();
        return !inodesConflict && before.state().canBecome(after.state());
    }

    /**
     * The earlier snapshot.
     *
     * @return the snapshot
     */
    public SocketSnapshot before() {
        return before;
    }

    /**
     * The later snapshot.
     *
     * @return the snapshot
     */
    public SocketSnapshot after() {
        return after;
    }

    /**
     * Sockets in the later snapshot that were not in the earlier one, replacements included.
     *
     * @return the sockets, immutable
     */
    public List<TcpSocket> opened() {
        return opened;
    }

    /**
     * Sockets of the earlier snapshot that are gone from the later one, replaced ones included.
     *
     * @return the sockets, immutable
     */
    public List<TcpSocket> closed() {
        return closed;
    }

    /**
     * 4-tuples whose socket was closed and a new one opened in its place.
     *
     * @return the 4-tuples, immutable
     */
    public List<Reuse> reused() {
        return reused;
    }

    @Override
    public String toString() {
        return "SocketDiff(opened=" + opened.size() + ", closed=" + closed.size() + ", reused=" + reused.size() + ")";
    }

    private record FourTuple(InetSocketAddress local, InetSocketAddress remote) {
        FourTuple {
            Objects.requireNonNull(local);
            Objects.requireNonNull(remote);
        }
    }
}
