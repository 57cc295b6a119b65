package io.github.sockleak.assertj;

import io.github.sockleak.SocketSnapshot;

/** Assertions on a {@link SocketSnapshot}; see {@link AbstractSocketSnapshotAssert}. */
public class SocketSnapshotAssert extends AbstractSocketSnapshotAssert<SocketSnapshotAssert> {

    /**
     * An assertion on {@code actual}; {@link SocketAssertions#assertThat(SocketSnapshot)} is the usual way in.
     *
     * @param actual the value to check
     */
    public SocketSnapshotAssert(SocketSnapshot actual) {
        super(actual, SocketSnapshotAssert.class);
    }
}
