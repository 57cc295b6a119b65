package io.github.sockleak.assertj;

import io.github.sockleak.Listener;

/** Assertions on a {@link Listener}; see {@link AbstractListenerAssert}. */
public class ListenerAssert extends AbstractListenerAssert<ListenerAssert> {

    public ListenerAssert(Listener actual) {
        super(actual, ListenerAssert.class);
    }
}
