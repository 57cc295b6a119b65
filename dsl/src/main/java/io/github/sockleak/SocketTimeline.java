package io.github.sockleak;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How this process's sockets, and those of the watched ports, behaved over a stretch of time: per socket the
 * intervals of each state, per listener its accept queue over time, the phases the recording was told about, and
 * the events between samples. Made by a {@link SocketRecorder}; immutable. Every time is an offset from the start of
 * the recording, which is when its first sample's read ended; a sample's time is when its read ended, the first moment
 * by which all it shows was true.
 *
 * @param startedAt  when the recording began, by the wall clock, for people reading a report
 * @param length     how long the recording ran
 * @param interval   the time between two samples
 * @param source     the kernel interface the samples came from
 * @param samples    how many samples were taken
 * @param coarsened  whether the recording outgrew its cap of 10,000 stored changes (spans, listener samples and
 *                   events) and coarsened its oldest: listener samples merged pairwise, each pair keeping the
 *                   greater counts at the earlier time; then the sockets that went first forgotten; then the oldest
 *                   events dropped. A short depth, or an early socket, may then be missing from the timeline
 * @param phases     the named stretches the recording was told about, in order (a test's before each, body, after
 *                   each and settle)
 * @param sockets    every socket seen, in the order first seen
 * @param listeners  every listener seen (this process's and the watched ports'), in the order first seen
 * @param events     what changed, in order
 */
public record SocketTimeline(Instant startedAt, Duration length, Duration interval, SnapshotSource source, int samples,
                             boolean coarsened, List<Phase> phases, List<SocketHistory> sockets,
                             List<ListenerHistory> listeners, List<Event> events) {

    /**
     * A timeline; the lists are copied.
     *
     * @param startedAt when the recording began, by the wall clock
     * @param length    how long the recording ran
     * @param interval  the time between two samples
     * @param source    the kernel interface the samples came from
     * @param samples   how many samples were taken
     * @param coarsened whether the oldest changes were coarsened to keep within the cap
     * @param phases    the named stretches, in order
     * @param sockets   every socket seen, in the order first seen
     * @param listeners every listener seen, in the order first seen
     * @param events    what changed, in order
     */
    public SocketTimeline {
        phases = List.copyOf(phases);
        sockets = List.copyOf(sockets);
        listeners = List.copyOf(listeners);
        events = List.copyOf(events);
    }

    /**
     * The history of {@code socket}: the same socket by cookie where both have one, else by inode and 4-tuple. A
     * socket with neither (a connection queued for {@code accept()}, read from {@code /proc}) is the latest on its
     * 4-tuple that was seen in its state without a descriptor.
     *
     * @param socket a socket of a snapshot
     * @return its history, or empty when the recording never saw it
     */
    public Optional<SocketHistory> socket(TcpSocket socket) {
        List<SocketHistory> candidates = sockets(socket.local(), socket.remote());
        if (socket.cookie().isPresent()) {
            return candidates.stream().filter(history -> history.first().cookie().equals(socket.cookie())).findFirst();
        }
        if (socket.inode() != 0) {
            return candidates.stream()
                    .filter(history -> history.spans().stream().anyMatch(span -> span.row().inode() == socket.inode()))
                    .findFirst();
        }
        // No cookie and no descriptor (a queued child on /proc): the latest socket on the 4-tuple seen in its state
        // with no descriptor either.
        SocketHistory latest = null;
        for (SocketHistory history : candidates) {
            if (history.spans().stream().anyMatch(span -> span.state() == socket.state() && span.row().inode() == 0)) {
                latest = history;
            }
        }
        return Optional.ofNullable(latest);
    }

    /**
     * The histories of the sockets on this 4-tuple, oldest first: more than one when the pair was reused.
     *
     * @param local  the socket's local address
     * @param remote its peer's address
     * @return the histories, empty when the recording never saw the 4-tuple
     */
    public List<SocketHistory> sockets(InetSocketAddress local, InetSocketAddress remote) {
        return sockets.stream()
                .filter(history -> history.first().local().equals(local) && history.first().remote().equals(remote))
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * The history of the listener on {@code port}; with several (one per address, or one closed and another
     * opened), the one whose accept queue was deepest, as {@link SocketSnapshot#listener(int)} chooses.
     *
     * @param port a local port
     * @return its history, or empty when the recording saw no listener there
     */
    public Optional<ListenerHistory> listener(int port) {
        return listeners.stream()
                .filter(listener -> listener.port() == port)
                .reduce((deepest, next) -> next.maxDepth() > deepest.maxDepth() ? next : deepest);
    }

    /**
     * A named stretch of the recording.
     *
     * @param name what ran, such as {@code "test"} or {@code "settle"}
     * @param from its start
     * @param to   its end
     */
    public record Phase(String name, Duration from, Duration to) {
    }

    /**
     * Something that changed between two samples.
     *
     * @param at     when the read of the sample that saw it ended
     * @param kind   what happened
     * @param socket the socket it happened to, as the sample saw it; for {@link Kind#GHOST}, the listener
     */
    public record Event(Duration at, Kind kind, TcpSocket socket) {

        /** What can happen to a socket or a listener between two samples. */
        public enum Kind {
            /** A socket appeared. */
            OPENED,
            /** A socket's state changed. */
            STATE,
            /**
             * A new socket appeared on the 4-tuple of a recorded socket that is gone, in the same sample or a later
             * one: the seed's port reuse.
             */
            REUSED,
            /**
             * A connection queued for {@code accept()} (on no descriptor) vanished while connected: it was reset, as
             * the seed's queued child is when a client reuses its port, leaving a ghost in the accept queue.
             */
            RESET,
            /** A socket disappeared: closed, or no longer this process's (an orphan finishing in the kernel). */
            GONE,
            /** A listener's accept queue counted a connection it does not show: a ghost appeared. */
            GHOST
        }
    }
}
