package io.github.sockleak.assertj;

import io.github.sockleak.TcpSocket;

/** Assertions on a {@link TcpSocket}; see {@link AbstractTcpSocketAssert}. */
public class TcpSocketAssert extends AbstractTcpSocketAssert<TcpSocketAssert> {

    public TcpSocketAssert(TcpSocket actual) {
        super(actual, TcpSocketAssert.class);
    }
}
