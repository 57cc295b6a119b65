package io.github.sockleak.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds {@code n} established loopback connections open so that another process can measure a crowded socket
 * table: one listener on {@code 127.0.0.1}, {@code n} clients connected to it, every connection accepted.
 *
 * <p>Usage: {@code BackgroundConnections <n>}. Prints {@code READY <n> <listener port>} on stdout once all are
 * established, then holds them until stdin closes or the process is killed. It needs {@code 2n} descriptors
 * plus the JVM's own, so {@code ulimit -n} must allow that.
 */
public final class BackgroundConnections {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private BackgroundConnections() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BackgroundConnections <connections>");
            System.exit(2);
        }
        int connections = Integer.parseInt(args[0]);
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        List<Socket> held = new ArrayList<>(2 * connections);
        try (ServerSocket listener = new ServerSocket(0, 128, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, listener.getLocalPort());
            for (int i = 0; i < connections; i++) {
                Socket client = new Socket();
                abortOnClose(client);
                client.connect(address, CONNECT_TIMEOUT_MILLIS);
                held.add(client);
                Socket accepted = listener.accept();
                abortOnClose(accepted);
                held.add(accepted);
            }
            System.out.println("READY " + connections + " " + listener.getLocalPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing to do but wait for stdin to close
            }
        }
    }

    /**
     * An orderly close would leave one TIME-WAIT row per connection for 60 s, crowding the table of the next
     * measurement and holding ephemeral ports; a close with {@code SO_LINGER} 0 resets the connection instead.
     * The option applies however the socket closes, when the process is killed too.
     */
    private static void abortOnClose(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
    }
}
