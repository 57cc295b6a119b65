package io.github.sockleak.assertj;

import io.github.sockleak.SocketHistory;

/** Assertions on a {@link SocketHistory}; see {@link AbstractSocketHistoryAssert}. */
public class SocketHistoryAssert extends AbstractSocketHistoryAssert<SocketHistoryAssert> {

    /**
     * An assertion on {@code actual}; {@code assertThat(timeline).socket(...)} is the usual way in.
     *
     * @param actual the value to check
     */
    public SocketHistoryAssert(SocketHistory actual) {
        super(actual, SocketHistoryAssert.class);
    }
}
