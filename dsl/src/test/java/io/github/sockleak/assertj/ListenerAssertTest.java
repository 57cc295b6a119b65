package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.Listener;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.NetlinkAvailability;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Listener assertions on real loopback listeners")
class ListenerAssertTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("hasAcceptQueueDepth passes on the kernel's count of connections waiting for accept()")
    void hasAcceptQueueDepthPasses() {
        int port = listenerWithQueued(2);

        assertThat(listener(port)).hasAcceptQueueDepth(2);
    }

    @Test
    @DisplayName("hasAcceptQueueDepth fails showing the listener and its queued connections")
    void hasAcceptQueueDepthFails() {
        int port = listenerWithQueued(2);
        Listener listener = listener(port);

        assertThatThrownBy(() -> assertThat(listener).hasAcceptQueueDepth(0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting listener 127.0.0.1:" + port + " to have accept-queue depth 0, but it is 2:")
                .hasMessageContaining("LISTEN")
                .hasMessageContaining("ESTAB")
                .hasMessageContaining("queued=2 ghosts=0");
    }

    @Test
    @DisplayName("hasAcceptQueueDepthAtMost passes at the limit")
    void hasAcceptQueueDepthAtMostPasses() {
        int port = listenerWithQueued(2);

        assertThat(listener(port)).hasAcceptQueueDepthAtMost(2).hasAcceptQueueDepthAtMost(3);
    }

    @Test
    @DisplayName("hasAcceptQueueDepthAtMost fails above the limit")
    void hasAcceptQueueDepthAtMostFails() {
        int port = listenerWithQueued(2);
        Listener listener = listener(port);

        assertThatThrownBy(() -> assertThat(listener).hasAcceptQueueDepthAtMost(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have accept-queue depth at most 1, but it is 2:");
    }

    @Test
    @DisplayName("hasQueued passes on the connections the table shows in the accept queue")
    void hasQueuedPasses() {
        int port = listenerWithQueued(2);

        assertThat(listener(port)).hasQueued(2);
    }

    @Test
    @DisplayName("hasQueued fails with the queued rows")
    void hasQueuedFails() {
        int port = listenerWithQueued(1);
        Listener listener = listener(port);

        assertThatThrownBy(() -> assertThat(listener).hasQueued(3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have 3 queued connections (never accepted, shown in the table), but it has 1:")
                .hasMessageContaining("ACCEPT_QUEUE");
    }

    @Test
    @DisplayName("hasNoQueuedConnections passes once every connection is accepted")
    void hasNoQueuedConnectionsPasses() {
        ServerSocket server = net.listen();
        net.connect(server.getLocalPort());
        net.accept(server);

        assertThat(listener(server.getLocalPort())).hasNoQueuedConnections();
    }

    @Test
    @DisplayName("hasNoQueuedConnections fails while a connection waits for accept()")
    void hasNoQueuedConnectionsFails() {
        int port = listenerWithQueued(1);
        Listener listener = listener(port);

        assertThatThrownBy(() -> assertThat(listener).hasNoQueuedConnections())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have no queued connections (never accepted, shown in the table), but it has 1:");
    }

    @Test
    @DisplayName("hasGhosts passes after the port-reuse effect")
    void hasGhostsPasses() {
        SeedExperiment seed = SeedExperiment.run(net);

        assertThat(seed.after()).listener(seed.port()).hasGhosts(1);
    }

    @Test
    @DisplayName("hasGhosts fails on a listener without ghosts, explaining what a ghost is")
    void hasGhostsFails() {
        int port = listenerWithQueued(1);
        Listener listener = listener(port);

        assertThatThrownBy(() -> assertThat(listener).hasGhosts(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have 1 ghost, but it has 0 (accept-queue depth 1, 1 queued connection in the table)")
                .hasMessageContaining("A ghost is a connection the accept queue still counts but no table shows");
    }

    @Test
    @DisplayName("hasNoGhosts passes when every queued connection shows in the table")
    void hasNoGhostsPasses() {
        int port = listenerWithQueued(2);

        assertThat(listener(port)).hasNoGhosts();
    }

    @Test
    @DisplayName("hasNoGhosts fails after the port-reuse effect, explaining it")
    void hasNoGhostsFails() {
        SeedExperiment seed = SeedExperiment.run(net);

        assertThatThrownBy(() -> assertThat(seed.after()).listener(seed.port()).hasNoGhosts())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have no ghosts, but it has 1 (accept-queue depth 3, 2 queued connections in the table)")
                .hasMessageContaining("CLOSE-WAIT")
                .hasMessageContaining("127.0.0.1:" + seed.reusedPort())
                .hasMessageContaining("a client reusing a CLOSE-WAIT child's port")
                .hasMessageContaining("until the application calls accept()");
    }

    @Test
    @DisplayName("hasBacklog fails on /proc, saying why the backlog is unknown")
    void hasBacklogUnknown() {
        ServerSocket server = net.listen(Loopback.IPV4, 50);
        Listener listener = procfsListener(server.getLocalPort());

        assertThatThrownBy(() -> assertThat(listener).hasBacklog(50))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have backlog 50, but its backlog is unknown: the /proc source cannot see a"
                        + " listener's backlog; the netlink source (JNA on JDK 17 to 21, native access enabled on JDK 22+) or the origins agent can.");
    }

    @Test
    @DisplayName("hasBacklogAtLeast fails on /proc, saying why the backlog is unknown")
    void hasBacklogAtLeastUnknown() {
        ServerSocket server = net.listen(Loopback.IPV4, 50);
        Listener listener = procfsListener(server.getLocalPort());

        assertThatThrownBy(() -> assertThat(listener).hasBacklogAtLeast(10))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have backlog at least 10, but its backlog is unknown: the /proc source cannot see");
    }

    @Test
    @DisplayName("isNotOverflowing fails rather than passes when the backlog is unknown")
    void isNotOverflowingUnknown() {
        int port = listenerWithQueued(1);
        Listener listener = procfsListener(port);

        assertThatThrownBy(() -> assertThat(listener).isNotOverflowing())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not to overflow its accept queue, but whether it does cannot be told:"
                        + " its backlog is unknown: the /proc source cannot see a listener's backlog");
    }

    @Test
    @DisplayName("hasBacklog and hasBacklogAtLeast pass on netlink, which sees the backlog listen() set")
    void backlogKnownOnNetlink() {
        NetlinkAvailability.assumeNetlinkExpected();
        ServerSocket server = net.listen(Loopback.IPV4, 7);

        assertThat(Sockets.snapshot(SnapshotSource.NETLINK)).listener(server.getLocalPort())
                .hasBacklog(7).hasBacklogAtLeast(7).hasBacklogAtLeast(1).isNotOverflowing();
    }

    @Test
    @DisplayName("hasBacklogAtLeast and isNotOverflowing fail on netlink with the backlog the kernel reports")
    void backlogChecksFailOnNetlink() {
        NetlinkAvailability.assumeNetlinkExpected();
        ServerSocket server = net.listen(Loopback.IPV4, 1);
        int port = server.getLocalPort();
        net.connect(port);
        net.connect(port);
        Listener full = eventually(PATIENCE, snapshot -> assertThat(snapshot).listener(port).hasAcceptQueueDepth(2))
                .listener(port).orElseThrow();
        Listener onNetlink = full.backlog().isPresent() ? full : Sockets.snapshot(SnapshotSource.NETLINK).listener(port).orElseThrow();

        assertThatThrownBy(() -> assertThat(onNetlink).hasBacklogAtLeast(128))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have backlog at least 128, but it is 1");
        assertThatThrownBy(() -> assertThat(onNetlink).isNotOverflowing())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    @DisplayName("listener checks on null fail as any AssertJ assertion on null does")
    void nullListener() {
        assertThatThrownBy(() -> assertThat((Listener) null).hasNoGhosts())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    /** A listener that never accepts, with {@code count} connected clients waiting in its accept queue. */
    private int listenerWithQueued(int count) {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        for (int i = 0; i < count; i++) {
            net.connect(port);
        }
        eventually(PATIENCE, snapshot -> assertThat(snapshot).listener(port).hasQueued(count).hasAcceptQueueDepth(count));
        return port;
    }

    /** The listener as /proc sees it: without its backlog. */
    private static Listener procfsListener(int port) {
        return Sockets.snapshot(SnapshotSource.PROCFS).listener(port).orElseThrow();
    }

    private static Listener listener(int port) {
        SocketSnapshot snapshot = Sockets.snapshot();
        return snapshot.listener(port).orElseThrow();
    }
}
