package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.Listener;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Soft assertions collect failures, navigation included")
class SocketSoftAssertionsTest {

    private final Loopback net = new Loopback();
    private final SocketSoftAssertions softly = new SocketSoftAssertions();
    private int port;
    private SocketSnapshot snapshot;

    @BeforeEach
    void listenWithOneQueuedConnection() {
        ServerSocket server = net.listen();
        port = server.getLocalPort();
        net.connect(port);
        snapshot = eventually(PATIENCE, s -> assertThat(s).listener(port).hasQueued(1).hasAcceptQueueDepth(1));
    }

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("collects the failures of every kind of assertion and reports them together")
    void collectsSeveralFailures() {
        Listener listener = snapshot.listener(port).orElseThrow();
        TcpSocket listening = listener.socket();

        softly.assertThat(snapshot).hasSocketsIn(TcpState.LISTEN, 99);
        softly.assertThat(listener).hasGhosts(2);
        softly.assertThat(snapshot.since(snapshot)).hasPortReuse();
        softly.assertThat(listening).hasState(TcpState.CLOSE_WAIT);
        softly.assertThat(TcpCounters.read().since(TcpCounters.read())).hasNoListenOverflows();

        assertThat(softly.errorsCollected()).hasSize(4);
        assertThatThrownBy(softly::assertAll)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting 99 sockets of this process in LISTEN")
                .hasMessageContaining("to have 2 ghosts, but it has 0")
                .hasMessageContaining("Expecting a port of a socket of this process to be reused")
                .hasMessageContaining("Expecting the socket to be in CLOSE-WAIT, but it is in LISTEN");
    }

    @Test
    @DisplayName("keeps going after a failure in a chain, collecting each failed check")
    void chainsGoOn() {
        softly.assertThat(snapshot).hasNoSocketsIn(TcpState.LISTEN).hasSocketsIn(TcpState.LISTEN, 0);

        assertThat(softly.errorsCollected()).hasSize(2);
    }

    @Test
    @DisplayName("listener(port) stays soft: its failures are collected, not thrown")
    void listenerNavigationStaysSoft() {
        softly.assertThat(snapshot).listener(port).hasGhosts(5).hasAcceptQueueDepth(7).hasQueued(1);

        assertThat(softly.errorsCollected()).hasSize(2);
        assertThat(softly.errorsCollected().get(0)).hasMessageContaining("to have 5 ghosts, but it has 0");
        assertThat(softly.errorsCollected().get(1)).hasMessageContaining("to have accept-queue depth 7, but it is 1");
    }

    @Test
    @DisplayName("a missing listener is reported once, and the checks chained after it are skipped")
    void missingListenerReportedOnce() {
        ServerSocket closed = net.listen();
        int closedPort = closed.getLocalPort();
        Loopback.close(closed);
        SocketSnapshot withoutIt = Sockets.snapshot();

        softly.assertThat(withoutIt).listener(closedPort).hasGhosts(1).hasAcceptQueueDepth(3);

        assertThat(softly.errorsCollected()).singleElement()
                .satisfies(error -> assertThat(error).hasMessageContaining(
                        "Expecting a listener of this process on port " + closedPort + ", but there is none."));
    }

    @Test
    @DisplayName("socketsIn(state) and port(port) stay soft too")
    void otherNavigationsStaySoft() {
        softly.assertThat(snapshot).socketsIn(TcpState.LISTEN).isEmpty();
        softly.assertThat(snapshot).port(port).isFree();

        assertThat(softly.errorsCollected()).hasSize(2);
        assertThat(softly.errorsCollected().get(0)).hasMessageContaining("[sockets of this process in LISTEN]");
        assertThat(softly.errorsCollected().get(1)).hasMessageContaining("Expecting port " + port + " to be free");
    }

    @Test
    @DisplayName("includingOtherProcesses works through the soft proxy")
    void widenedScope() {
        softly.assertThat(snapshot).includingOtherProcesses().hasSocketsIn(TcpState.LISTEN, -1);

        assertThat(softly.errorsCollected()).singleElement()
                .satisfies(error -> assertThat(error).hasMessageContaining("sockets in this network namespace in LISTEN"));
    }

    @Test
    @DisplayName("collects nothing and passes when every check holds")
    void passes() {
        softly.assertThat(snapshot).hasNoSocketsIn(TcpState.SYN_SENT)
                .listener(port).hasQueued(1).hasNoGhosts().hasAcceptQueueDepthAtMost(1);
        softly.assertThat(snapshot).socketsIn(TcpState.LISTEN).isNotEmpty();
        softly.assertThat(snapshot).port(port).isNotFree();

        softly.assertAll();
        assertThat(softly.errorsCollected()).isEmpty();
    }

    @Test
    @DisplayName("assertSoftly reports the failures of its block")
    void assertSoftly() {
        assertThatThrownBy(() -> SocketSoftAssertions.assertSoftly(soft -> {
            soft.assertThat(snapshot).listener(port).hasQueued(4);
            soft.assertThat(snapshot).listener(port).hasAcceptQueueDepth(4);
        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have 4 queued connections")
                .hasMessageContaining("to have accept-queue depth 4");
    }

    @Test
    @DisplayName("eventually joins soft assertions through check()")
    void eventuallyInSoftAssertions() {
        softly.check(() -> eventually(Duration.ofMillis(100), s -> assertThat(s).listener(port).hasQueued(3)));

        assertThat(softly.errorsCollected()).singleElement()
                .satisfies(error -> assertThat(error).hasMessageContaining("Still failing after"));
    }
}
