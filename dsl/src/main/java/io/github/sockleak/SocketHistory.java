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

    /**
     * A socket's history.
     *
     * @param first the socket as first seen
     * @param spans its states in order; copied
     * @param gone  when the socket was first missing, or empty
     */
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
        Duration total = Duration.ZERO;
        for (Span span : spans) {
            if (span.state() == state) {
                total = total.plus(span.duration());
            }
        }
        return total;
    }

    /**
     * The state the recording last saw the socket in at {@code at}: that of the span that holds it.
     *
     * @param at a time from the recording's start
     * @return the state, or empty before the socket was first seen and from when it was gone
     */
    public Optional<TcpState> stateAt(Duration at) {
        for (Span span : spans) {
            if (span.from().compareTo(at) <= 0 && (at.compareTo(span.to()) < 0 || isLastOpen(span) && at.equals(span.to()))) {
                return Optional.of(span.state());
            }
        }
        return Optional.empty();
    }

    /** The last span of a socket never seen gone runs to the recording's end, which it includes. */
    private boolean isLastOpen(Span span) {
        return gone.isEmpty() && span == spans.get(spans.size() - 1);
    }

    /**
     * The history in one line, for a report: {@code ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end}; a socket seen gone ends
     * with {@code -> gone}.
     *
     * @return the line
     */
    public String summary() {
        StringBuilder line = new StringBuilder();
        for (Span span : spans) {
            if (line.length() > 0) {
                line.append(" -> ");
            }
            line.append(span.state()).append(' ').append(TimelineText.millis(span.from()));
            line.append(isLastOpen(span) ? " ms-end" : "-" + TimelineText.ms(span.to()));
        }
        return gone.isPresent() ? line.append(" -> gone").toString() : line.toString();
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

        /**
         * How long the span lasted, as the samples saw it.
         *
         * @return {@code to - from}
         */
        public Duration duration() {
            return to.minus(from);
        }
    }
}
