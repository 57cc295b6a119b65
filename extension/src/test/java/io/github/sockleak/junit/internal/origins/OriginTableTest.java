package io.github.sockleak.junit.internal.origins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
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

    @Test
    @DisplayName("remembers a test's closed client and listener by their addresses, even when never looked up")
    void remembersRecentlyClosed() throws IOException {
        TestMarks.Marking marking = TestMarks.begin("OriginTableTest.remembersRecentlyClosed()");
        try {
            ServerSocket listener = new ServerSocket(0, 5, Loopback.IPV4);
            Origin listening = new Origin(Origin.Kind.LISTENING, "test", 0L, marking.mark(), 5, null);
            table.opened(listener, listening);
            Socket client = net.connect(Loopback.IPV4, listener.getLocalPort());
            Origin connected = new Origin(Origin.Kind.CONNECTED, "test", 0L, marking.mark(), 0, null);
            table.opened(client, connected);
            SocketKey listenerKey = SocketKey.listener((InetSocketAddress) listener.getLocalSocketAddress());
            SocketKey clientKey = keyOf(client);

            table.closed(client);
            client.close();
            table.closed(listener);
            listener.close();

            assertThat(table.get(clientKey)).isNull();
            assertThat(table.recentlyClosed(clientKey)).isSameAs(connected);
            assertThat(table.recentlyClosed(listenerKey)).isSameAs(listening);
        } finally {
            marking.end();
        }
    }

    @Test
    @DisplayName("keeps a socket collected while open for its test's check, and only for it")
    void abandoned() throws Exception {
        TestMarks.Marking marking = TestMarks.begin("OriginTableTest.abandoned()");
        try {
            Origin origin = recordDropped(marking.mark());
            Polling.Result<List<AbandonedSocket>> taken = Polling.until(() -> {
                System.gc();
                return table.takeAbandoned(o -> o.test() == marking.mark());
            }, found -> !found.isEmpty(), Duration.ofSeconds(10));

            assertThat(taken.value()).singleElement().satisfies(socket -> assertThat(socket.origin()).isSameAs(origin));
            assertThat(table.takeAbandoned(o -> true)).as("taken once").isEmpty();
        } finally {
            marking.end();
        }
    }

    /** Records a connected socket that nothing refers to once this returns: the collector may take it. */
    private Origin recordDropped(TestMark mark) {
        Socket client = net.connect(Loopback.IPV4, server.getLocalPort());
        Origin origin = new Origin(Origin.Kind.CONNECTED, "test", 0L, mark, 0, null);
        table.opened(new Object[] {client}, origin); // a holder object only this table refers to, weakly
        return origin;
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
