package io.github.sockleak.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Answers one byte per connection with the same byte, then closes it, as an HTTP/1.0 server does. */
final class OneShotServer implements AutoCloseable {

    private final ServerSocketChannel listener;

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
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
