package io.github.sockleak.junit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process whose listener overflows: a backlog of 1, never accepting, and more clients than it can queue,
 * all its own. Prints {@code OVERFLOWING <port>} once its clients are connecting, then holds everything until
 * standard input closes or it is ended.
 */
public final class OverflowingServer {

    private OverflowingServer() {
    }

    public static void main(String[] args) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            for (int i = 0; i < 6; i++) {
                SocketChannel client = SocketChannel.open();
                client.configureBlocking(false);
                client.connect(new InetSocketAddress(loopback, server.getLocalPort()));
                clients.add(client);
            }
            System.out.println("OVERFLOWING " + server.getLocalPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the listener and its clients until standard input closes
            }
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }
}
