package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.Sockets;
import io.github.sockleak.SsText;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Timeline assertions: how long a socket was in a state, whether a queue ever had ghosts")
class SocketTimelineAssertTest {

    /** ESTAB 0-12 ms, then CLOSE-WAIT to the end (15 ms); a listener whose queue grew to 2 and held a ghost at 19 ms. */
    private static final TcpSocket CLIENT = row("ESTAB 0 0 127.0.0.1:40000 127.0.0.1:5000 ino:21 own");
    private static final TcpSocket LISTENER = row("LISTEN 0 50 127.0.0.1:5000 *:* ino:11 own");
    private static final SocketTimeline TIMELINE = new SocketTimeline(Instant.EPOCH, ms(25), ms(1), SnapshotSource.PROCFS, 25,
            false, List.of(), List.of(new SocketHistory(CLIENT, List.of(
                    new SocketHistory.Span(TcpState.ESTABLISHED, ms(0), ms(12), CLIENT),
                    new SocketHistory.Span(TcpState.CLOSE_WAIT, ms(12), ms(25),
                            row("CLOSE-WAIT 1 0 127.0.0.1:40000 127.0.0.1:5000 ino:21 own"))), Optional.empty())),
            List.of(new ListenerHistory(LISTENER, List.of(sample(0, 0, 0), sample(3, 1, 0), sample(4, 2, 0), sample(19, 2, 1)),
                    Optional.empty())),
            List.of());

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("wasIn(state).forAtMost and forAtLeast measure the time in that state, to the end of the recording")
    void timeInState() {
        assertThat(TIMELINE).socket(end(40000), end(5000))
                .wasIn(TcpState.ESTABLISHED).forAtLeast(ms(12)).forAtMost(ms(12))
                .wasIn(TcpState.CLOSE_WAIT).forAtMost(ms(13))
                .neverWasIn(TcpState.LAST_ACK)
                .endedIn(TcpState.CLOSE_WAIT);
        assertThat(TIMELINE).socket(CLIENT).wasIn(TcpState.CLOSE_WAIT);
    }

    @Test
    @DisplayName("forAtMost fails with the socket, the time it spent and its history in one line")
    void forAtMostFails() {
        assertThatThrownBy(() -> assertThat(TIMELINE).socket(end(40000), end(5000)).wasIn(TcpState.CLOSE_WAIT).forAtMost(ms(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have been in CLOSE-WAIT for at most 10 ms, but it was for 13 ms")
                .hasMessageContaining("ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end")
                .hasMessageContaining("127.0.0.1:40000");
    }

    @Test
    @DisplayName("wasIn, neverWasIn, endedIn and forAtLeast fail saying what the samples saw")
    void stateChecksFail() {
        SocketHistoryAssert client = assertThat(TIMELINE).socket(CLIENT);
        assertThatThrownBy(() -> client.wasIn(TcpState.LAST_ACK)).hasMessageContaining("to have been in LAST-ACK, but it never was");
        assertThatThrownBy(() -> client.neverWasIn(TcpState.CLOSE_WAIT))
                .hasMessageContaining("never to have been in CLOSE-WAIT, but it was, for 13 ms");
        assertThatThrownBy(() -> client.endedIn(TcpState.ESTABLISHED))
                .hasMessageContaining("to have ended the recording in ESTAB, but it ended in CLOSE-WAIT");
        assertThatThrownBy(() -> assertThat(TIMELINE).socket(CLIENT).wasIn(TcpState.ESTABLISHED).forAtLeast(ms(100)))
                .hasMessageContaining("for at least 100 ms, but it was for 12 ms");
        assertThatThrownBy(() -> assertThat(TIMELINE).socket(CLIENT).forAtMost(ms(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call wasIn first");
    }

    @Test
    @DisplayName("navigating to a socket or a listener the recording never saw fails, listing what it saw")
    void navigationFails() {
        assertThatThrownBy(() -> assertThat(TIMELINE).socket(end(40000), end(5001)))
                .hasMessageContaining("to have recorded a socket from 127.0.0.1:40000 to 127.0.0.1:5001, but it never saw one")
                .hasMessageContaining("ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end");
        assertThatThrownBy(() -> assertThat(TIMELINE).listener(5001))
                .hasMessageContaining("a listener on port 5001, but it never saw one");
    }

    @Test
    @DisplayName("listener checks: ghosts and the deepest queue over the recording")
    void listenerChecks() {
        assertThat(TIMELINE).listener(5000).hadGhosts().neverHadAcceptQueueDepthAbove(2);
        assertThatThrownBy(() -> assertThat(TIMELINE).listener(5000).neverHadGhosts())
                .hasMessageContaining("Expecting listener 127.0.0.1:5000 never to have had ghosts, but it had up to 1 ghost")
                .hasMessageContaining("depth 0 -> 1 (3 ms) -> 2 (4 ms); ghost at 19 ms");
        assertThatThrownBy(() -> assertThat(TIMELINE).listener(5000).neverHadAcceptQueueDepthAbove(1))
                .hasMessageContaining("never to have had an accept queue deeper than 1, but it reached 2");
    }

    @Test
    @DisplayName("soft assertions collect a failed check and a failed navigation alike")
    void softly() {
        SocketSoftAssertions softly = new SocketSoftAssertions();
        softly.assertThat(TIMELINE).socket(CLIENT).wasIn(TcpState.CLOSE_WAIT).forAtMost(ms(1));
        softly.assertThat(TIMELINE).listener(5001).neverHadGhosts();
        softly.assertThat(TIMELINE).listener(5000).neverHadGhosts();
        assertThat(softly.errorsCollected()).hasSize(3);
    }

    @Test
    @DisplayName("a real CLOSE-WAIT recorded with Sockets.record: the client was in it, and still was at the end")
    void realCloseWait() throws Exception {
        ServerSocket server = net.listen();
        Socket[] client = new Socket[1];
        InetSocketAddress[] ends = new InetSocketAddress[2];
        SocketTimeline timeline = Sockets.record(Duration.ofMillis(5), () -> {
            client[0] = net.connect(server.getLocalPort());
            ends[0] = Loopback.localEnd(client[0]);
            ends[1] = Loopback.remoteEnd(client[0]);
            Loopback.close(net.accept(server));
            Polling.Result<Boolean> closeWait = Polling.until(() -> Sockets.ownSnapshot(Set.of()).own().stream()
                    .anyMatch(Loopback.endOf(client[0]).and(s -> s.state() == TcpState.CLOSE_WAIT)), seen -> seen, Duration.ofSeconds(10));
            assertThat(closeWait.satisfied()).as("the client reached CLOSE-WAIT").isTrue();
        });

        // Not wasIn(ESTABLISHED): the connection may be ESTAB for less than an interval, between two samples.
        assertThat(timeline).socket(ends[0], ends[1]).wasIn(TcpState.CLOSE_WAIT).endedIn(TcpState.CLOSE_WAIT);
        assertThat(timeline).listener(server.getLocalPort()).neverHadGhosts().neverHadAcceptQueueDepthAbove(1);
    }

    private static TcpSocket row(String line) {
        return SsText.snapshot(SnapshotSource.PROCFS, line).all().get(0);
    }

    private static ListenerHistory.Sample sample(long at, int depth, int ghosts) {
        return new ListenerHistory.Sample(ms(at), depth, depth - ghosts, ghosts, OptionalInt.empty(), OptionalLong.empty());
    }

    private static InetSocketAddress end(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
