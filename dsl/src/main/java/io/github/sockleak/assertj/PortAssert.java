package io.github.sockleak.assertj;

/** Assertions on a {@link Port}; see {@link AbstractPortAssert}. */
public class PortAssert extends AbstractPortAssert<PortAssert> {

    public PortAssert(Port actual) {
        super(actual, PortAssert.class);
    }
}
