package io.github.sockleak.assertj;

import io.github.sockleak.SocketSnapshot;

/** Assertions on a {@link SocketSnapshot}; see {@link AbstractSocketSnapshotAssert}. */
public class SocketSnapshotAssert extends AbstractSocketSnapshotAssert<SocketSnapshotAssert> {

    public SocketSnapshotAssert(SocketSnapshot actual) {
        super(actual, SocketSnapshotAssert.class);
    }
}
