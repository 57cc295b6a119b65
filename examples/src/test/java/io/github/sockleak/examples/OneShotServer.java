package io.github.sockleak.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** Answers one byte per connection with the same byte, then closes it, as an HTTP/1.0 server does. */
final class OneShotServer implements AutoCloseable {

    private final ServerSocketChannel listener;
    /** Connections answered and closed; guarded by {@code this}, which is notified at each. */
    private int closed;

    OneShotServer() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::serve, "one-shot-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void serve() {
        while (listener.isOpen()) {
            try (SocketChannel connection = listener.accept()) {
                ByteBuffer request = ByteBuffer.allocate(1);
                if (connection.read(request) == 1) {
                    connection.write(request.flip());
                }
            } catch (IOException listenerClosed) {
                return;
            }
            connectionClosed();
        }
    }

    private synchronized void connectionClosed() {
        closed++;
        notifyAll();
    }

    /** How many connections this server has answered and closed so far. */
    synchronized int closedConnections() {
        return closed;
    }

    /**
     * Waits until the server has closed {@code count} connections in all. It closes each a moment after its answer
     * left, on its own thread: a client can read the answer, and a check look at its socket, before that.
     */
    synchronized void awaitClosedConnections(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (closed < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the server closed " + closed + " connections, not " + count);
            }
            // Woken by each close; the deadline only bounds a server that stopped answering.
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
