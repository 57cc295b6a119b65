package io.github.sockleak.examples;

import io.github.sockleak.internal.Polling;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers one byte per connection with the same byte, then closes it, as an HTTP/1.0 server does. */
final class OneShotServer implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final AtomicInteger closed = new AtomicInteger();

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
            closed.incrementAndGet();
        }
    }

    /** How many connections this server has answered and closed so far. */
    int closedConnections() {
        return closed.get();
    }

    /**
     * Waits until the server has closed {@code count} connections in all. It closes each a moment after its answer
     * left, on its own thread: a client can read the answer, and a check look at its socket, before that.
     */
    void awaitClosedConnections(int count) {
        if (!Polling.until(closed::get, n -> n >= count, Duration.ofSeconds(10)).satisfied()) {
            throw new IllegalStateException("the server closed " + closed.get() + " connections, not " + count);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
