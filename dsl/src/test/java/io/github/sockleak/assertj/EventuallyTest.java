package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("eventually, waiting for a state the kernel reaches shortly")
class EventuallyTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("returns the first snapshot that passes the check")
    void passes() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        Socket client = net.connect(port);
        Predicate<TcpSocket> queuedChild = Loopback.peerOf(client);
        Loopback.close(client);

        SocketSnapshot snapshot = eventually(PATIENCE, s -> assertThat(s).socketsIn(TcpState.CLOSE_WAIT)
                .anyMatch(queuedChild));

        assertThat(snapshot.listener(port).orElseThrow().queued())
                .anyMatch(socket -> socket.state() == TcpState.CLOSE_WAIT);
    }

    @Test
    @DisplayName("fails after the timeout with the last snapshot's failure")
    void failsWithLastFailure() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();

        assertThatThrownBy(() -> eventually(Duration.ofMillis(300), s -> assertThat(s).listener(port).hasAcceptQueueDepth(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Still failing after")
                .hasMessageContaining("snapshots; the last one failed with:")
                .hasMessageContaining("Expecting listener 127.0.0.1:" + port + " to have accept-queue depth 5, but it is 0")
                .cause().isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("stops at once on an exception that is not a failed check")
    void stopsOnOtherExceptions() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> eventually(PATIENCE, s -> {
            throw new IllegalStateException("not an assertion");
        })).isInstanceOf(IllegalStateException.class).hasMessage("not an assertion");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PATIENCE);
    }
}
