package io.github.sockleak;

import io.github.sockleak.internal.SsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kernel's TCP sockets of this network namespace at one moment, with what belongs to this process worked
 * out. Immutable; take one with {@link Sockets#snapshot()}, or with {@link Sockets#ownSnapshot(java.util.Set)} for
 * this process's sockets only ({@link #coverage()} says which).
 */
public final class SocketSnapshot {

    private final SnapshotSource source;
    private final SnapshotCoverage coverage;
    private final String sourceReason;
    private final List<TcpSocket> all;
    private final List<TcpSocket> own;
    private final List<Listener> allListeners;
    private final List<Listener> listeners;
    private final List<String> skippedRows;

    SocketSnapshot(SnapshotSource source, SnapshotCoverage coverage, String sourceReason, List<TcpSocket> all,
                   List<Listener> allListeners, List<String> skippedRows) {
        this.source = source;
        this.coverage = coverage;
        this.sourceReason = sourceReason;
        this.all = List.copyOf(all);
        this.own = own(this.all);
        this.allListeners = List.copyOf(allListeners);
        this.listeners = this.allListeners.stream().filter(listener -> listener.socket().isOwn()).collect(Collectors.toUnmodifiableList());
        this.skippedRows = List.copyOf(skippedRows);
    }

    /** A plain loop: a full table has tens of thousands of sockets and few of them are ours. */
    private static List<TcpSocket> own(List<TcpSocket> all) {
        List<TcpSocket> own = new ArrayList<>();
        for (TcpSocket socket : all) {
            if (socket.isOwn()) {
                own.add(socket);
            }
        }
        return List.copyOf(own);
    }

    /**
     * Which kernel interface this snapshot was read from.
     *
     * @return the source
     */
    public SnapshotSource source() {
        return source;
    }

    /**
     * Which sockets this snapshot holds: the whole namespace's, or only what a check of this process needs
     * ({@link SnapshotCoverage#PROCESS}).
     *
     * @return the coverage
     */
    public SnapshotCoverage coverage() {
        return coverage;
    }

    /**
     * Why that source was used, for instance why netlink was not, and how it was read.
     *
     * @return the reason, in a sentence
     */
    public String sourceReason() {
        return sourceReason;
    }

    /**
     * Every TCP socket the snapshot holds, whoever holds it: with {@link SnapshotCoverage#NAMESPACE}, every one of
     * the network namespace; with {@link SnapshotCoverage#PROCESS}, this process's, those queued on its listeners
     * and those on the ports asked for, and no others, so a socket missing here may still exist.
     *
     * @return the sockets, immutable
     */
    public List<TcpSocket> all() {
        return all;
    }

    /**
     * This process's sockets: those on its file descriptors and the children queued on its listeners.
     *
     * @return this process's sockets, immutable
     */
    public List<TcpSocket> own() {
        return own;
    }

    /**
     * This process's listening sockets, by port.
     *
     * @return the listeners, immutable
     */
    public List<Listener> listeners() {
        return listeners;
    }

    /**
     * This process's listener on {@code port}. With several (one per address, or {@code SO_REUSEPORT}), the one
     * with the deepest accept queue, since that is the one a check cares about.
     *
     * @param port the local port
     * @return that listener, or empty when this process has none there
     */
    public Optional<Listener> listener(int port) {
        return deepest(listeners, port);
    }

    /**
     * Every listening socket the snapshot holds, whoever holds it, by port: this process's (as in
     * {@link #listeners()}) and other processes', each with its accept queue, queued children and ghosts;
     * the {@link TcpSocket#owner()} of {@link Listener#socket()} tells them apart
     * ({@link Owner#THIS_PROCESS} or {@link Owner#OTHER_PROCESS}). With {@link SnapshotCoverage#PROCESS} these are this process's and
     * those on the ports asked for only.
     *
     * @return the listeners of the namespace (or of the ports asked for), ordered by port
     */
    public List<Listener> allListeners() {
        return allListeners;
    }

    private static Optional<Listener> deepest(List<Listener> listeners, int port) {
        return listeners.stream()
                .filter(listener -> listener.port() == port)
                .max((a, b) -> Integer.compare(a.acceptQueueDepth(), b.acceptQueueDepth()));
    }

    /**
     * What changed from {@code before} to this snapshot, socket by socket.
     *
     * @param before the earlier reading
     * @return the diff from {@code before} to this snapshot
     */
    public SocketDiff since(SocketSnapshot before) {
        return SocketDiff.between(before, this);
    }

    /**
     * Rows of the kernel's table that could not be parsed and were left out, each with the file, line and
     * reason. Empty unless the kernel printed something unexpected.
     *
     * @return one line per skipped row
     */
    public List<String> skippedRows() {
        return skippedRows;
    }

    /** This process's sockets as an {@code ss}-like table. */
    @Override
    public String toString() {
        return "SocketSnapshot(" + source + ", " + coverage + " coverage, " + all.size() + " sockets, " + own.size() + " own)\n"
                + SsTable.of(own);
    }
}
