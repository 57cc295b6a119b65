package io.github.sockleak.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A small echo server with a thread per connection, in two versions: one that closes a connection when the
 * client hangs up, and one that forgets to, the bug behind most CLOSE-WAIT leaks.
 */
final class EchoServer implements AutoCloseable {

    private final ServerSocket listener;
    private final boolean closesConnections;
    private final Thread acceptor;
    private final java.util.List<Socket> connections = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EchoServer(int port, boolean closesConnections) throws IOException {
        // Tests restart it on its port: one outside the ephemeral range, which no other process's client takes meanwhile.
        this.listener = port == 0 ? RestartableListeners.listen(50) : new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.closesConnections = closesConnections;
        this.acceptor = new Thread(this::acceptLoop, "echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static EchoServer start() throws IOException {
        return start(0);
    }

    /** On {@code port}, or a free port outside the ephemeral range for 0 ({@link RestartableListeners}). */
    static EchoServer start(int port) throws IOException {
        return new EchoServer(port, true);
    }

    static EchoServer startForgettingToClose() throws IOException {
        return new EchoServer(0, false);
    }

    /** Sends a byte and waits for the echo over a new connection, closed afterwards. */
    void exchangeOneByte() throws IOException {
        try (Socket client = new Socket(address().getAddress(), port())) {
            client.getOutputStream().write('x');
            if (client.getInputStream().read() != 'x') {
                throw new IOException("no echo from " + address());
            }
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket connection = listener.accept();
                connections.add(connection);
                Thread handler = new Thread(() -> echo(connection), "echo-handler");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void echo(Socket connection) {
        try {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            for (int b = in.read(); b != -1; b = in.read()) {
                out.write(b);
            }
            // The client hung up (read gave -1). The buggy version returns here without closing:
            // its end of the connection stays in CLOSE-WAIT for as long as the process lives.
            if (closesConnections) {
                connection.close();
            }
        } catch (SocketException reset) {
            closeQuietly(connection);
        } catch (IOException e) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // already broken; nothing more to release
        }
    }

    /** Stops listening; connections stay with their handlers, which close them or not. */
    @Override
    public void close() throws IOException {
        RestartableListeners.close(listener, acceptor);
    }

    /** Closes whatever connections are left: the cleanup after a demonstration of the leak. */
    void closeLeftovers() throws IOException {
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
