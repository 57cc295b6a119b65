package io.github.sockleak.assertj;

import io.github.sockleak.SocketDiff;

/** Assertions on a {@link SocketDiff}; see {@link AbstractSocketDiffAssert}. */
public class SocketDiffAssert extends AbstractSocketDiffAssert<SocketDiffAssert> {

    public SocketDiffAssert(SocketDiff actual) {
        super(actual, SocketDiffAssert.class);
    }
}
