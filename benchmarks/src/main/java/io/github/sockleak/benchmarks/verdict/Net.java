package io.github.sockleak.benchmarks.verdict;

import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.Origins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;

/**
 * A fixture test's sockets, all on 127.0.0.1: each one opened through here is written down under the test's
 * name in {@link OpenedSockets}, and closed by the harness once the test's class has run.
 */
final class Net {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int PATIENCE_MS = 10_000;
    private static final ThreadLocal<Net> CURRENT = new ThreadLocal<>();

    private final OpenedSockets.Record record;

    private Net(OpenedSockets.Record record) {
        this.record = record;
    }

    /** The running test's; set by {@link Windows.Inner} on the thread that runs the test. */
    static Net get() {
        Net net = CURRENT.get();
        if (net == null) {
            throw new IllegalStateException("no fixture test runs on this thread");
        }
        return net;
    }

    static void begin(String test, Class<?> testClass) {
        CURRENT.set(new Net(OpenedSockets.of(test, testClass)));
    }

    static void end() {
        CURRENT.remove();
    }

    String test() {
        return record.test;
    }

    ServerSocket listen() {
        try {
            ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
            OpenedSockets.listener(record, server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Socket connect(int port) {
        try {
            Socket client = new Socket();
            record.keep(client);
            client.connect(new InetSocketAddress(LOOPBACK, port), PATIENCE_MS);
            OpenedSockets.connection(record, client);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Socket accept(ServerSocket server) {
        try {
            server.setSoTimeout(PATIENCE_MS);
            return adopt(server.accept());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes down a socket opened elsewhere (a test's own thread), to be closed with the rest. */
    Socket adopt(Socket socket) {
        OpenedSockets.connection(record, socket);
        return socket;
    }

    /**
     * Writes down which test the origin agent holds responsible for this connection now, when the agent records:
     * for the details of a wrong verdict, not for any count.
     */
    void diagnoseOrigin(Socket socket) {
        Optional<Origins> origins = OriginAgent.origins();
        if (origins.isEmpty() || !OriginAgent.status().isActive()) {
            return;
        }
        String local = OpenedSockets.format((InetSocketAddress) socket.getLocalSocketAddress());
        String remote = OpenedSockets.format((InetSocketAddress) socket.getRemoteSocketAddress());
        for (TcpSocket row : Sockets.ownSnapshot(Set.of()).own()) {
            if (OpenedSockets.format(row.local()).equals(local) && OpenedSockets.format(row.remote()).equals(remote)) {
                String origin = origins.get().of(row).map(o -> o.kind().verb() + " on thread \"" + o.thread() + "\" for "
                        + (o.test() == null ? "no test" : o.test().name() + (o.test().isRunning() ? " (running)" : " (ended)")))
                        .orElse("no origin");
                record.diagnostics.add("the agent's origin of " + local + " <-> " + remote + " as the test ends: " + origin);
            }
        }
    }

    /** Writes down a connection's 4-tuple only, keeping no reference: the garbage collector must be free to take it. */
    void remember(InetSocketAddress local, InetSocketAddress remote) {
        OpenedSockets.tuple(record, local, remote);
    }
}
