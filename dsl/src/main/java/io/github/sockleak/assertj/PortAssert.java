package io.github.sockleak.assertj;

/** Assertions on a {@link Port}; see {@link AbstractPortAssert}. */
public class PortAssert extends AbstractPortAssert<PortAssert> {

    /**
     * An assertion on {@code actual}; {@link AbstractSocketSnapshotAssert#port(int)} is the usual way in.
     *
     * @param actual the value to check
     */
    public PortAssert(Port actual) {
        super(actual, PortAssert.class);
    }
}
