package io.github.sockleak.testing;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Polling;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Real sockets on loopback for tests, each closed (newest first) when the {@code Loopback} is closed, so a
 * failing test does not leak into the next one.
 */
public final class Loopback implements AutoCloseable {

    public static final InetAddress IPV4 = InetAddress.getLoopbackAddress();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Deque<Closeable> opened = new ArrayDeque<>();

    /** A listener on {@code address}, any free port; the default (dual-stack) socket family, as most servers use. */
    public ServerSocket listen(InetAddress address, int backlog) {
        return listen(address, 0, backlog);
    }

    /** A listener with {@code SO_REUSEADDR} on {@code address} and {@code port} (0: any free port). */
    public ServerSocket listen(InetAddress address, int port, int backlog) {
        try {
            ServerSocket server = track(new ServerSocket());
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port), backlog);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ServerSocket listen() {
        return listen(IPV4, 50);
    }

    public Socket connect(InetAddress address, int port) {
        try {
            Socket client = track(new Socket());
            client.connect(new InetSocketAddress(address, port), (int) PATIENCE.toMillis());
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Socket connect(int port) {
        return connect(IPV4, port);
    }

    /**
     * A client bound to {@code localPort} with {@code SO_REUSEADDR}, as the seed experiment's clients are.
     *
     * <p>Reusing the port of a client closed a moment ago means taking over the 4-tuple its FIN-WAIT-2 (a
     * time-wait socket) still holds. Linux allows that ({@code tcp_tw_reuse}) only once the old socket's last
     * timestamp is a second old, and says EADDRNOTAVAIL before: so this retries until then. A bind that still
     * fails at the deadline means another process's socket took the port: the test is aborted, not failed.
     */
    public Socket connectFrom(int localPort, int port) {
        Polling.Result<Attempt> result = Polling.until(() -> attemptFrom(localPort, port),
                attempt -> !(attempt.failure instanceof BindException), PATIENCE);
        Attempt last = result.value();
        if (last.failure != null && last.bindFailed && localPort != 0) {
            // The client closed a moment ago held the port with SO_REUSEADDR, or left it free: what refuses the
            // bind for this long is another socket that took the port since, without SO_REUSEADDR (a connect()
            // of another process given it as its ephemeral port, then TIME-WAIT). Not a sockleak failure.
            Assumptions.abort("port " + localPort + " was taken by another socket meanwhile (" + last.failure.getMessage()
                    + "); this test needs to bind it again");
        }
        if (last.failure != null) {
            throw new UncheckedIOException(last.failure);
        }
        return track(last.socket);
    }

    /**
     * The seed experiment's first step against a listener on {@code port} that never accepts: two clients with
     * {@code SO_REUSEADDR} connect and close, leaving two children in its accept queue that turn CLOSE-WAIT when
     * the FINs arrive. Returns the first client's port, which the seed's third client binds again.
     */
    public int queueTwoClosedClients(int port) {
        Socket first = connectFrom(0, port);
        int firstPort = first.getLocalPort();
        close(first);
        close(connectFrom(0, port));
        return firstPort;
    }

    /**
     * A whole clean connection to a fresh IPv4 listener: connect, accept, one byte across, everything closed
     * before returning, so nothing is left for a leak check to find.
     */
    public static void cleanRoundTrip() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, IPV4);
             Socket client = new Socket(IPV4, server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write(1);
            if (accepted.getInputStream().read() != 1) {
                throw new IOException("the byte sent did not arrive");
            }
        }
    }

    private static Attempt attemptFrom(int localPort, int port) {
        Socket client = new Socket();
        boolean bound = false;
        try {
            client.setReuseAddress(true);
            client.bind(new InetSocketAddress(IPV4, localPort));
            bound = true;
            client.connect(new InetSocketAddress(IPV4, port), (int) PATIENCE.toMillis());
            return new Attempt(client, null, false);
        } catch (IOException e) {
            close(client);
            return new Attempt(null, e, !bound);
        }
    }

    private static final class Attempt {
        final Socket socket;
        final IOException failure;
        /** EADDRINUSE from bind(), rather than the EADDRNOTAVAIL from connect() that time-wait reuse gives. */
        final boolean bindFailed;

        Attempt(Socket socket, IOException failure, boolean bindFailed) {
            this.socket = socket;
            this.failure = failure;
            this.bindFailed = bindFailed;
        }
    }

    public Socket accept(ServerSocket server) {
        try {
            server.setSoTimeout((int) PATIENCE.toMillis());
            return track(server.accept());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls fresh snapshots until {@code condition} holds; fails with the last snapshot after a deadline. */
    public static SocketSnapshot awaitSnapshot(String description, Predicate<SocketSnapshot> condition) {
        Polling.Result<SocketSnapshot> result = Polling.until(Sockets::snapshot, condition, PATIENCE);
        if (!result.satisfied()) {
            throw new AssertionError("the kernel did not reach '" + description + "' within " + PATIENCE
                    + "; last snapshot:\n" + result.value());
        }
        return result.value();
    }

    /**
     * The socket with exactly these two ends: the whole 4-tuple. Never find a socket by a port alone, nor by one
     * end: other processes' connections reuse the same port numbers all the time (an ephemeral port is unique
     * only per destination), so a port alone can pick another process's socket.
     */
    public static Predicate<TcpSocket> fourTuple(InetSocketAddress local, InetSocketAddress remote) {
        return socket -> socket.local().equals(local) && socket.remote().equals(remote);
    }

    /**
     * The kernel's row for {@code socket} itself: its local and remote ends. Take it while the socket is open,
     * and keep it to find the socket's row after closing it.
     */
    public static Predicate<TcpSocket> endOf(Socket socket) {
        return fourTuple(localEnd(socket), remoteEnd(socket));
    }

    /** The kernel's row for the other end of {@code socket}'s connection, on loopback: the ends swapped. */
    public static Predicate<TcpSocket> peerOf(Socket socket) {
        return fourTuple(remoteEnd(socket), localEnd(socket));
    }

    /**
     * The socket's local end. Only while it is open: once closed, Java gives the wildcard address with its port,
     * an end no row has.
     */
    public static InetSocketAddress localEnd(Socket socket) {
        if (socket.isClosed() || !socket.isBound()) {
            throw new IllegalStateException("take the ends of a socket while it is open: " + socket);
        }
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public static InetSocketAddress remoteEnd(Socket socket) {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (socket.isClosed() || remote == null) {
            throw new IllegalStateException("take the ends of a connected socket while it is open: " + socket);
        }
        return remote;
    }

    public static void close(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends Closeable> T track(T closeable) {
        opened.push(closeable);
        return closeable;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (IOException ignored) {
                // best effort: the test's own outcome matters more than a failed cleanup
            }
        }
    }
}
