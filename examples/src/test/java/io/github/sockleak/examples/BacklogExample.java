package io.github.sockleak.examples;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A server with a small backlog under a burst of connections: the accept queue fills, the kernel drops
 * handshakes and counts them, and the DSL states the limits a CI check would.
 */
@DisplayName("A small backlog under a burst of connections")
class BacklogExample {

    private static final int BACKLOG = 4;
    private static final int BURST = 10;

    private final Loopback net = new Loopback();
    private final List<SocketChannel> clients = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (SocketChannel client : clients) {
            client.close();
        }
        net.close();
    }

    @Test
    @DisplayName("the accept queue fills to backlog + 1 and ListenOverflows moves")
    void burstOverflowsTheBacklog() throws IOException {
        TcpCounters before = Sockets.counters();
        ServerSocket server = net.listen(Loopback.IPV4, BACKLOG); // busy elsewhere: it does not accept yet
        int port = server.getLocalPort();
        for (int i = 0; i < BURST; i++) {
            SocketChannel client = SocketChannel.open();
            clients.add(client);
            client.configureBlocking(false);
            client.connect(new InetSocketAddress(Loopback.IPV4, port));
        }

        // The kernel queues backlog + 1 connections; the other clients wait in SYN-SENT for their retries.
        SocketSnapshot full = eventually(Duration.ofSeconds(5),
                snapshot -> assertThat(snapshot).listener(port).hasAcceptQueueDepth(BACKLOG + 1));
        System.out.println("== a burst of " + BURST + " connections against backlog " + BACKLOG + " ==");
        System.out.println(TcpSocket.table(full.listener(port).orElseThrow().queued()));

        // The check a CI job runs against a server under load: the queue never grows past its limit...
        assertThat(full).listener(port).hasAcceptQueueDepthAtMost(BACKLOG + 1).hasQueued(BACKLOG + 1).hasNoGhosts();
        // ...and the kernel counted the handshakes it dropped (per network namespace: others can move it too).
        eventually(Duration.ofSeconds(5), snapshot -> assertThatThrownBy(
                () -> assertThat(Sockets.counters().since(before)).hasNoListenOverflows())
                .satisfies(failure -> System.out.println("== what hasNoListenOverflows() says ==" + failure.getMessage())));

        if (full.source() == SnapshotSource.NETLINK) {
            // Netlink sees the backlog itself: the limit can be asserted, and the overflow named.
            assertThat(full).listener(port).hasBacklog(BACKLOG);
            assertThatThrownBy(() -> assertThat(full).listener(port).isNotOverflowing())
                    .satisfies(failure -> System.out.println(failure.getMessage()));
        } else {
            // /proc cannot see a backlog: the assertion says so instead of passing.
            assertThatThrownBy(() -> assertThat(full).listener(port).hasBacklogAtLeast(BACKLOG))
                    .satisfies(failure -> System.out.println("== hasBacklogAtLeast() on " + full.source() + " =="
                            + failure.getMessage() + System.lineSeparator()));
        }
    }
}
