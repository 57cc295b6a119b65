package io.github.sockleak.assertj;

import io.github.sockleak.TcpCounters;

/** Assertions on a change of {@link TcpCounters}; see {@link AbstractTcpCountersAssert}. */
public class TcpCountersAssert extends AbstractTcpCountersAssert<TcpCountersAssert> {

    /**
     * An assertion on {@code actual}; {@link SocketAssertions#assertThat(TcpCounters)} is the usual way in.
     *
     * @param actual the value to check
     */
    public TcpCountersAssert(TcpCounters actual) {
        super(actual, TcpCountersAssert.class);
    }
}
