package io.github.sockleak.assertj;

import io.github.sockleak.TcpSocket;

/** Assertions on a {@link TcpSocket}; see {@link AbstractTcpSocketAssert}. */
public class TcpSocketAssert extends AbstractTcpSocketAssert<TcpSocketAssert> {

    /**
     * An assertion on {@code actual}; {@link SocketAssertions#assertThat(TcpSocket)} is the usual way in.
     *
     * @param actual the value to check
     */
    public TcpSocketAssert(TcpSocket actual) {
        super(actual, TcpSocketAssert.class);
    }
}
