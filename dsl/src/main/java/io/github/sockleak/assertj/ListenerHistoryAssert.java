package io.github.sockleak.assertj;

import io.github.sockleak.ListenerHistory;

/** Assertions on a {@link ListenerHistory}; see {@link AbstractListenerHistoryAssert}. */
public class ListenerHistoryAssert extends AbstractListenerHistoryAssert<ListenerHistoryAssert> {

    /**
     * An assertion on {@code actual}; {@code assertThat(timeline).listener(port)} is the usual way in.
     *
     * @param actual the value to check
     */
    public ListenerHistoryAssert(ListenerHistory actual) {
        super(actual, ListenerHistoryAssert.class);
    }
}
