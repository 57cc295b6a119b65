package io.github.sockleak.junit.internal.origins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OriginTable: origins by socket object and by addresses")
class OriginTableTest {

    private final Loopback net = new Loopback();
    private final OriginTable table = new OriginTable();
    private final ServerSocket server = net.listen();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    @DisplayName("finds a socket recorded after the last lookup")
    void recordedAfterLookup() {
        Socket first = net.connect(Loopback.IPV4, server.getLocalPort());
        Origin firstOrigin = record(first);
        assertThat(table.get(keyOf(first))).isSameAs(firstOrigin);

        Socket second = net.connect(Loopback.IPV4, server.getLocalPort());
        Origin secondOrigin = record(second);

        assertThat(table.get(keyOf(second))).isSameAs(secondOrigin);
        assertThat(table.get(keyOf(first))).isSameAs(firstOrigin);
    }

    @Test
    @DisplayName("finds a socket recorded before it had addresses once it has them")
    void addressesLater() throws IOException {
        Socket client = new Socket();
        try {
            Origin origin = record(client);
            assertThat(table.get(SocketKey.listener(new InetSocketAddress(Loopback.IPV4, server.getLocalPort())))).isNull();

            client.connect(server.getLocalSocketAddress());

            assertThat(table.get(keyOf(client))).isSameAs(origin);
        } finally {
            client.close();
        }
    }

    @Test
    @DisplayName("forgets a socket when it is closed, whether or not it was looked up")
    void forgetsClosed() {
        Socket lookedUp = net.connect(Loopback.IPV4, server.getLocalPort());
        Socket never = net.connect(Loopback.IPV4, server.getLocalPort());
        record(lookedUp);
        record(never);
        SocketKey lookedUpKey = keyOf(lookedUp);
        assertThat(table.get(lookedUpKey)).isNotNull();

        table.closed(lookedUp);
        table.closed(never);

        assertThat(table.get(lookedUpKey)).isNull();
        assertThat(table.get(keyOf(never))).isNull();
        assertThat(table.size()).isZero();
    }

    private Origin record(Object socket) {
        Origin origin = new Origin(Origin.Kind.CONNECTED, "test", 0L, null, 0, null);
        table.opened(socket, origin);
        return origin;
    }

    private static SocketKey keyOf(Socket client) {
        return SocketKey.of((InetSocketAddress) client.getLocalSocketAddress(), (InetSocketAddress) client.getRemoteSocketAddress());
    }
}
