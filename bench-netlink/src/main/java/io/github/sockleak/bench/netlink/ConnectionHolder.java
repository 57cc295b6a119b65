package io.github.sockleak.bench.netlink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The background population: another process holding {@code count} ESTABLISHED loopback connections (both ends,
 * so 2 x count sockets) on a listener of its own, until its standard input closes or it is killed.
 *
 * <p>Every socket has SO_LINGER 0, so when this process ends its connections are reset and leave no TIME-WAIT
 * behind to distort the next measurement.
 */
public final class ConnectionHolder {

    private ConnectionHolder() {
    }

    public static void main(String[] args) throws IOException {
        int count = Integer.parseInt(args[0]);
        List<SocketChannel> held = new ArrayList<>(2 * count);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            for (int i = 0; i < count; i++) {
                SocketChannel client = SocketChannel.open(address);
                SocketChannel accepted = server.accept();
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                accepted.setOption(StandardSocketOptions.SO_LINGER, 0);
                held.add(client);
                held.add(accepted);
            }
            System.out.println("ready " + count + " port " + address.getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the benchmark closes our stdin
            }
        } finally {
            for (SocketChannel channel : held) {
                channel.close();
            }
        }
    }
}
