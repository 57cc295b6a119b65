package io.github.sockleak.assertj;

import io.github.sockleak.TcpCounters;

/** Assertions on a change of {@link TcpCounters}; see {@link AbstractTcpCountersAssert}. */
public class TcpCountersAssert extends AbstractTcpCountersAssert<TcpCountersAssert> {

    public TcpCountersAssert(TcpCounters actual) {
        super(actual, TcpCountersAssert.class);
    }
}
