package io.github.sockleak;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One listener's accept queue over a recording, as a step chart: a sample each time its depth, visible children,
 * ghosts, backlog or drops changed. Immutable.
 *
 * @param socket  the listening socket as first seen
 * @param samples the changes in order, the first being the listener as first seen
 * @param gone    when the listener was first missing, or empty when it was there at the end of the recording
 */
public record ListenerHistory(TcpSocket socket, List<Sample> samples, Optional<Duration> gone) {

    public ListenerHistory {
        samples = List.copyOf(samples);
    }

    /**
     * The local port it listens on.
     *
     * @return the port
     */
    public int port() {
        return socket.local().getPort();
    }

    /**
     * The deepest its accept queue was seen.
     *
     * @return the greatest depth
     */
    public int maxDepth() {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * The most ghosts it was seen with.
     *
     * @return the greatest number of ghosts
     */
    public int maxGhosts() {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * The history in one line, for a report: {@code depth 0 -> 1 (3 ms) -> 2 (4 ms); ghost at 19 ms}.
     *
     * @return the line
     */
    public String summary() {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * The listener's queue from one time on, until the next sample.
     *
     * @param at      when the change was seen
     * @param depth   the accept queue's depth
     * @param queued  the children visible in it
     * @param ghosts  depth minus visible children
     * @param backlog the backlog, where the source shows it
     * @param drops   the listener's dropped connections, where the source counts them
     */
    public record Sample(Duration at, int depth, int queued, int ghosts, OptionalInt backlog, OptionalLong drops) {
    }
}
