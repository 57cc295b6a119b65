package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Counter assertions on real listen overflows. The counters are the namespace's: another process overflowing a
 * listener at the same moment moves them too, which the passing case allows for.
 */
@DisplayName("Counter assertions on real listen overflows")
class TcpCountersAssertTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("hasNoListenOverflows and hasNoListenDrops pass when every handshake finds room")
    void noOverflowPasses() {
        ServerSocket server = net.listen();
        // Another process's overflow can land in a window; a quiet one shows that ours moved nothing. If every
        // window moved the counters until the deadline, the last one fails the assertion.
        Polling.Result<TcpCounters> window = Polling.until(() -> connectAndAccept(server),
                change -> change.listenOverflows() == 0 && change.listenDrops() == 0, PATIENCE);

        assertThat(window.value()).hasNoListenOverflows().hasNoListenDrops();
    }

    @Test
    @DisplayName("hasNoListenOverflows fails on a full accept queue, saying the counters are the namespace's")
    void hasNoListenOverflowsFails() throws IOException {
        TcpCounters change = overflowOnce();

        assertThatThrownBy(() -> assertThat(change).hasNoListenOverflows())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no ListenOverflows, but the counter moved by")
                .hasMessageContaining("These counters are per network namespace, not per socket or process:"
                        + " another process in this namespace moves them too.");
    }

    @Test
    @DisplayName("hasNoListenDrops fails on a full accept queue, saying the counters are the namespace's")
    void hasNoListenDropsFails() throws IOException {
        TcpCounters change = overflowOnce();

        assertThatThrownBy(() -> assertThat(change).hasNoListenDrops())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no ListenDrops, but the counter moved by")
                .hasMessageContaining("per network namespace");
    }

    private TcpCounters connectAndAccept(ServerSocket server) {
        TcpCounters before = Sockets.counters();
        net.connect(server.getLocalPort());
        net.accept(server);
        return Sockets.counters().since(before);
    }

    /**
     * A listener with backlog 1 holds two connections; the SYN of a third finds the queue full and is dropped,
     * which moves ListenOverflows and ListenDrops. The third client connects without blocking: it would wait in
     * SYN-SENT for the kernel's retries otherwise.
     */
    private TcpCounters overflowOnce() throws IOException {
        ServerSocket server = net.listen(Loopback.IPV4, 1);
        int port = server.getLocalPort();
        net.connect(port);
        net.connect(port);
        TcpCounters before = Sockets.counters();
        try (SocketChannel third = SocketChannel.open()) {
            third.configureBlocking(false);
            third.connect(new InetSocketAddress(Loopback.IPV4, port));
            Polling.Result<TcpCounters> change = Polling.until(() -> Sockets.counters().since(before),
                    moved -> moved.listenOverflows() > 0 && moved.listenDrops() > 0, PATIENCE);
            assertThat(change.satisfied()).as("the dropped SYN moved the counters: %s", change.value()).isTrue();
            return change.value();
        }
    }
}
