package io.github.sockleak.integration;

import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A plain socket client, for the fixtures whose library is the JDK's own way of running work elsewhere. */
final class RawClient {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private RawClient() {
    }

    /** A connection to {@code port} on loopback, opened on the calling thread. */
    static Socket connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(Loopback.IPV4, port), CONNECT_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records {@code socket} as the leak of the current run, to be closed after it, once the server closed its end. */
    static void leak(Rendezvous rendezvous, Socket socket) {
        rendezvous.leaked((InetSocketAddress) socket.getLocalSocketAddress(), (InetSocketAddress) socket.getRemoteSocketAddress(), socket);
        rendezvous.awaitLeakedIn(TcpState.CLOSE_WAIT);
    }
}
