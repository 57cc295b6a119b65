package io.github.sockleak.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A client connection pool that keeps released connections for reuse. The naive version keeps them even after
 * the server closed them: each one sits in CLOSE-WAIT on the client until the pool happens to reuse it. The
 * watching version has a thread notice the server's FIN on idle connections and close them at once.
 */
final class ConnectionPool implements AutoCloseable {

    private final InetSocketAddress server;
    private final Deque<SocketChannel> idle = new ArrayDeque<>();
    private final Selector idleWatcher;

    private ConnectionPool(InetSocketAddress server, boolean watchIdle) throws IOException {
        this.server = server;
        this.idleWatcher = watchIdle ? Selector.open() : null;
        if (watchIdle) {
            Thread watcher = new Thread(this::closeWhatTheServerClosed, "pool-idle-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    static ConnectionPool naive(InetSocketAddress server) throws IOException {
        return new ConnectionPool(server, false);
    }

    static ConnectionPool watchingIdleConnections(InetSocketAddress server) throws IOException {
        return new ConnectionPool(server, true);
    }

    /** Sends one byte and reads the answer over a pooled connection. */
    byte exchange(byte request) throws IOException {
        SocketChannel connection = borrow();
        connection.write(ByteBuffer.wrap(new byte[] {request}));
        ByteBuffer answer = ByteBuffer.allocate(1);
        if (connection.read(answer) != 1) {
            throw new IOException("the server closed before answering");
        }
        release(connection);
        return answer.get(0);
    }

    private synchronized SocketChannel borrow() throws IOException {
        SocketChannel pooled = idle.pollFirst();
        if (pooled == null) {
            return SocketChannel.open(server);
        }
        if (idleWatcher != null) {
            SelectionKey key = pooled.keyFor(idleWatcher);
            key.cancel();
            idleWatcher.selectNow(); // deregisters the key, so the channel can block again
            pooled.configureBlocking(true);
        }
        return pooled;
    }

    private synchronized void release(SocketChannel connection) throws IOException {
        idle.addLast(connection);
        if (idleWatcher != null) {
            connection.configureBlocking(false);
            connection.register(idleWatcher.wakeup(), SelectionKey.OP_READ);
        }
    }

    /** An idle connection becomes readable when the server closes it: read gives -1, so close our end too. */
    private void closeWhatTheServerClosed() {
        ByteBuffer scratch = ByteBuffer.allocate(64);
        try {
            while (idleWatcher.isOpen()) {
                idleWatcher.select();
                synchronized (this) {
                    for (SelectionKey key : idleWatcher.selectedKeys()) {
                        SocketChannel connection = (SocketChannel) key.channel();
                        if (key.isValid() && connection.read(scratch.clear()) == -1) {
                            idle.remove(connection);
                            connection.close();
                        }
                    }
                    idleWatcher.selectedKeys().clear();
                }
            }
        } catch (ClosedSelectorException closedPool) {
            // the pool was closed: nothing left to watch
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (SocketChannel connection : idle) {
            connection.close();
        }
        idle.clear();
        if (idleWatcher != null) {
            idleWatcher.close();
        }
    }
}
