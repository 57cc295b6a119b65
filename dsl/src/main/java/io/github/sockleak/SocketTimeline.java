package io.github.sockleak;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How this process's sockets, and those of the watched ports, behaved over a stretch of time: per socket the
 * intervals of each state, per listener its accept queue over time, the phases the recording was told about, and
 * the events between samples. Made by a {@link SocketRecorder}; immutable. Every time is an offset from the start of
 * the recording.
 *
 * @param startedAt  when the recording began, by the wall clock, for people reading a report
 * @param length     how long the recording ran
 * @param interval   the time between two samples
 * @param source     the kernel interface the samples came from
 * @param samples    how many samples were taken
 * @param coarsened  whether the oldest changes were merged to keep the recording within its cap; then a short
 *                   state or depth may be missing from the start of the timeline
 * @param phases     the named stretches the recording was told about, in order (a test's before each, body, after
 *                   each and settle)
 * @param sockets    every socket seen, in the order first seen
 * @param listeners  every listener seen (this process's and the watched ports'), in the order first seen
 * @param events     what changed, in order
 */
public record SocketTimeline(Instant startedAt, Duration length, Duration interval, SnapshotSource source, int samples,
                             boolean coarsened, List<Phase> phases, List<SocketHistory> sockets,
                             List<ListenerHistory> listeners, List<Event> events) {

    public SocketTimeline {
        phases = List.copyOf(phases);
        sockets = List.copyOf(sockets);
        listeners = List.copyOf(listeners);
        events = List.copyOf(events);
    }

    /**
     * The history of {@code socket}: the same socket by cookie where both have one, else by inode and 4-tuple.
     *
     * @param socket a socket of a snapshot
     * @return its history, or empty when the recording never saw it
     */
    public Optional<SocketHistory> socket(TcpSocket socket) {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * The histories of the sockets on this 4-tuple, oldest first: more than one when the pair was reused.
     *
     * @param local  the socket's local address
     * @param remote its peer's address
     * @return the histories, empty when the recording never saw the 4-tuple
     */
    public List<SocketHistory> sockets(InetSocketAddress local, InetSocketAddress remote) {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * The history of the listener on {@code port}.
     *
     * @param port a local port
     * @return its history, or empty when the recording saw no listener there
     */
    public Optional<ListenerHistory> listener(int port) {
        throw new UnsupportedOperationException("to be built");
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
     * @param at     when the sample that saw it was taken
     * @param kind   what happened
     * @param socket the socket it happened to, as the sample saw it
     */
    public record Event(Duration at, Kind kind, TcpSocket socket) {

        /** What can happen to a socket or a listener between two samples. */
        public enum Kind {
            /** A socket appeared. */
            OPENED,
            /** A socket's state changed. */
            STATE,
            /** A new socket appeared on the 4-tuple of a socket that is gone, the seed's port reuse. */
            REUSED,
            /** A connection vanished without passing through a closing state: reset. */
            RESET,
            /** A socket disappeared. */
            GONE,
            /** A listener's accept queue counted a connection it does not show: a ghost appeared. */
            GHOST
        }
    }
}
