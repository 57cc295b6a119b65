package io.github.sockleak.internal.watch;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;

/** Which sockets and listeners a watch shows: those of one port, every one, or the listeners only. */
public final class Selection {

    private final String option;
    private final int port;
    private final boolean listenersOnly;

    private Selection(String option, int port, boolean listenersOnly) {
        this.option = option;
        this.port = port;
        this.listenersOnly = listenersOnly;
    }

    /** The sockets with an end on {@code port}, local or remote: both ends of a loopback connection show. */
    static Selection port(int port) {
        return new Selection("--port " + port, port, false);
    }

    static Selection all() {
        return new Selection("--all", 0, false);
    }

    static Selection listeners() {
        return new Selection("--listeners", 0, true);
    }

    boolean includes(TcpSocket socket) {
        if (listenersOnly) {
            return socket.state() == TcpState.LISTEN;
        }
        return port == 0 || socket.local().getPort() == port || socket.remote().getPort() == port;
    }

    boolean includes(Listener listener) {
        return port == 0 || listener.port() == port;
    }

    /** The option that chose it, for messages. */
    String option() {
        return option;
    }

    /** In words, for the watch's first line. */
    @Override
    public String toString() {
        return listenersOnly ? "every listening socket" : port == 0 ? "every TCP socket" : "the TCP sockets with an end on port " + port;
    }
}
