package io.github.sockleak.assertj;

import io.github.sockleak.Listener;

/** Assertions on a {@link Listener}; see {@link AbstractListenerAssert}. */
public class ListenerAssert extends AbstractListenerAssert<ListenerAssert> {

    /**
     * An assertion on {@code actual}; {@link SocketAssertions#assertThat(Listener)} is the usual way in.
     *
     * @param actual the value to check
     */
    public ListenerAssert(Listener actual) {
        super(actual, ListenerAssert.class);
    }
}
