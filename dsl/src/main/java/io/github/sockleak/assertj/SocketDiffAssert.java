package io.github.sockleak.assertj;

import io.github.sockleak.SocketDiff;

/** Assertions on a {@link SocketDiff}; see {@link AbstractSocketDiffAssert}. */
public class SocketDiffAssert extends AbstractSocketDiffAssert<SocketDiffAssert> {

    /**
     * An assertion on {@code actual}; {@link SocketAssertions#assertThat(SocketDiff)} is the usual way in.
     *
     * @param actual the value to check
     */
    public SocketDiffAssert(SocketDiff actual) {
        super(actual, SocketDiffAssert.class);
    }
}
