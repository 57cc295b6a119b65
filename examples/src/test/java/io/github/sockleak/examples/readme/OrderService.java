package io.github.sockleak.examples.readme;

import io.github.sockleak.examples.RestartableListeners;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** The service the README's snippets test: a server that answers one order per connection and closes it. */
final class OrderService implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread acceptor;

    private OrderService(int backlog) throws IOException {
        // The DSL tour checks that a restart could bind its port again: see RestartableListeners.
        listener = RestartableListeners.listen(backlog);
        acceptor = new Thread(this::serve, "order-service");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static OrderService start() throws IOException {
        return new OrderService(128);
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * A client placing one order: connect, send, read the confirmation up to the server's end of the connection,
     * close. Waiting for that end means the server has closed its socket when this returns: it spends the moment
     * between reading the order and closing in CLOSE-WAIT, which a snapshot taken right after the confirmation
     * could see.
     */
    void placeOrder(String order) throws IOException {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port())) {
            client.getOutputStream().write(order.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            if (in.read() != 'Y' || in.read() != -1) {
                throw new IOException("order " + order + " was not confirmed");
            }
        }
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket connection = listener.accept()) {
                InputStream in = connection.getInputStream();
                while (in.read() != -1) {
                    // the order: read it to the end
                }
                OutputStream out = connection.getOutputStream();
                out.write('Y');
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Stops accepting, and returns once the port is free for a restart. */
    @Override
    public void close() throws IOException {
        RestartableListeners.close(listener, acceptor);
    }
}
