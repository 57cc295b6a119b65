package io.github.sockleak;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One socket over a recording: the stretches of each state it was seen in. Immutable.
 *
 * @param first the socket as first seen
 * @param spans its states in order; two spans in a row never share a state
 * @param gone  when the socket was first missing, or empty when it was there at the end of the recording
 */
public record SocketHistory(TcpSocket first, List<Span> spans, Optional<Duration> gone) {

    public SocketHistory {
        spans = List.copyOf(spans);
    }

    /**
     * The socket as last seen.
     *
     * @return its last row
     */
    public TcpSocket last() {
        return spans.get(spans.size() - 1).row();
    }

    /**
     * The total time spent in {@code state}, summed over its spans.
     *
     * @param state a TCP state
     * @return the time, zero when never seen in it
     */
    public Duration timeIn(TcpState state) {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * The history in one line, for a report: {@code ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end}.
     *
     * @return the line
     */
    public String summary() {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * A stretch in one state, from the first sample that saw it to the first that saw something else (or the end).
     *
     * @param state the state
     * @param from  when first seen in it
     * @param to    when first seen in another state, gone, or the recording ended
     * @param row   the socket as last seen in this span, as {@code ss} would print it then
     */
    public record Span(TcpState state, Duration from, Duration to, TcpSocket row) {
    }
}
