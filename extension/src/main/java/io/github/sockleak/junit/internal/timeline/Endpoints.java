package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Addresses;

/** How a lane names its socket: the 4-tuple as {@code ss -n} prints endpoints, local first. */
final class Endpoints {

    private static final String ARROW = " \u2192 ";

    private Endpoints() {
    }

    /** {@code 127.0.0.1:47942 → 127.0.0.1:33931}. */
    static String fourTuple(TcpSocket socket) {
        return Addresses.format(socket.local()) + ARROW + Addresses.format(socket.remote());
    }

    static String local(TcpSocket socket) {
        return Addresses.format(socket.local());
    }

    static String remote(TcpSocket socket) {
        return Addresses.format(socket.remote());
    }
}
