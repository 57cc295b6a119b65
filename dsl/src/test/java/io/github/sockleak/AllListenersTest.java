package io.github.sockleak;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.internal.BacklogHints;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every listener of the namespace, from tables written as {@code ss -tan} printed them during the seed experiment
 * run against {@code nc -l} stopped with SIGSTOP (another process): its accept queue, its queued children, its
 * ghosts, and this process's listeners kept apart from it.
 */
@DisplayName("Other processes' listeners, from tables written as ss prints them")
class AllListenersTest {

    /** nc's listener after the seed's second half: Recv-Q 2, one child visible, one ghost; ours beside it. */
    private static final String SEED_AFTER_REUSE = """
            LISTEN     2 1  127.0.0.1:12345  0.0.0.0:*        ino:500 backlog:1
            ESTAB      0 0  127.0.0.1:12345  127.0.0.1:40001  ino:0
            ESTAB      0 0  127.0.0.1:40001  127.0.0.1:12345  ino:601 own
            LISTEN     1 50 127.0.0.1:8080   0.0.0.0:*        ino:700 own backlog:50
            CLOSE-WAIT 1 0  127.0.0.1:8080   127.0.0.1:40002  ino:0
            TIME-WAIT  0 0  127.0.0.1:12345  127.0.0.1:40003  ino:0
            """;

    @Test
    @DisplayName("allListeners holds another process's listener with its depth, queued child, ghost and backlog")
    void otherProcessListener() {
        SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.NETLINK, SEED_AFTER_REUSE);

        Listener nc = snapshot.allListeners().stream().filter(l -> l.port() == 12345).findFirst().orElseThrow();
        assertThat(nc.socket().owner()).isEqualTo(Owner.OTHER_PROCESS);
        assertThat(nc.acceptQueueDepth()).isEqualTo(2);
        assertThat(nc.queued()).extracting(t -> t.remote().getPort()).containsExactly(40001);
        assertThat(nc.queued()).extracting(TcpSocket::owner).containsExactly(Owner.OTHER_PROCESS);
        assertThat(nc.ghosts()).isEqualTo(1);
        assertThat(nc.backlog()).hasValue(1);
        assertThat(nc.toString()).contains("(another process's)");
    }

    @Test
    @DisplayName("listeners() and listener(port) stay this process's; allListeners() has both, ordered by port")
    void ownAndOtherApart() {
        SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.NETLINK, SEED_AFTER_REUSE);

        assertThat(snapshot.listeners()).extracting(Listener::port).containsExactly(8080);
        assertThat(snapshot.listener(12345)).isEmpty();
        assertThat(snapshot.allListeners()).extracting(Listener::port).containsExactly(8080, 12345);
        Listener ours = snapshot.listener(8080).orElseThrow();
        assertThat(ours.socket().owner()).isEqualTo(Owner.THIS_PROCESS);
        assertThat(ours.queued()).extracting(TcpSocket::owner).containsExactly(Owner.ACCEPT_QUEUE);
        assertThat(snapshot.own()).extracting(t -> t.local().getPort() + "-" + t.remote().getPort())
                .containsExactlyInAnyOrder("40001-12345", "8080-0", "8080-40002");
    }

    @Test
    @DisplayName("includingOtherProcesses().listener(port) takes every listener check on another process's listener")
    void dslReachesOtherListener() {
        SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.NETLINK, SEED_AFTER_REUSE);

        assertThat(snapshot).includingOtherProcesses().listener(12345)
                .hasAcceptQueueDepth(2).hasAcceptQueueDepthAtMost(2).hasQueued(1).hasGhosts(1)
                .hasBacklog(1).hasBacklogAtLeast(1);
        assertThatThrownBy(() -> assertThat(snapshot).includingOtherProcesses().listener(12345).isNotOverflowing())
                .hasMessageContaining("12345");
        assertThatThrownBy(() -> assertThat(snapshot).includingOtherProcesses().listener(12345).hasNoGhosts())
                .hasMessageContaining("(another process's)")
                .hasMessageContaining("ghosts=1");
        assertThat(snapshot).includingOtherProcesses().listener(8080).hasQueued(1).hasNoGhosts();
    }

    @Test
    @DisplayName("without includingOtherProcesses, listener(port) refuses another process's and names the way to it")
    void ownScopeRefusesOtherListener() {
        SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.NETLINK, SEED_AFTER_REUSE);

        assertThatThrownBy(() -> assertThat(snapshot).listener(12345).hasAcceptQueueDepth(2))
                .hasMessageContaining("Expecting a listener of this process on port 12345, but there is none.")
                .hasMessageContaining("Another process listens on port 12345")
                .hasMessageContaining("includingOtherProcesses().listener(12345)");
    }

    @Test
    @DisplayName("a port nobody listens on fails, naming the ports listened on")
    void nobodyListens() {
        SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.NETLINK, SEED_AFTER_REUSE);

        assertThatThrownBy(() -> assertThat(snapshot).includingOtherProcesses().listener(9999))
                .hasMessageContaining("Expecting a listener of any process on port 9999, but there is none.")
                .hasMessageContaining("127.0.0.1:8080, 127.0.0.1:12345");
    }

    @Test
    @DisplayName("a handshake in another process's SYN queue is that process's, not an orphan")
    void otherHandshake() {
        SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.NETLINK, """
                LISTEN     0 1 127.0.0.1:12345 0.0.0.0:*       ino:500 backlog:1
                SYN-RECV   0 0 127.0.0.1:12345 127.0.0.1:40005 ino:0
                FIN-WAIT-2 0 0 127.0.0.1:40006 127.0.0.1:12345 ino:0
                """);

        assertThat(snapshot.all()).extracting(TcpSocket::owner)
                .containsExactly(Owner.OTHER_PROCESS, Owner.OTHER_PROCESS, Owner.ORPHAN);
        assertThat(snapshot.allListeners().get(0).queued()).as("a handshake is not in the accept queue yet").isEmpty();
    }

    @Test
    @DisplayName("a listener's Send-Q prints as ? where the source has no backlog, and as ss prints it where it has")
    void sendQOfListeners() {
        String rows = """
                LISTEN 0 0 127.0.0.1:12345 0.0.0.0:* ino:500
                """;
        String netlinkRows = """
                LISTEN 0 1 127.0.0.1:12345 0.0.0.0:* ino:500 backlog:1
                """;

        List<TcpSocket> procfs = SsText.snapshot(SnapshotSource.PROCFS, rows).all();
        List<TcpSocket> netlink = SsText.snapshot(SnapshotSource.NETLINK, netlinkRows).all();

        assertThat(procfs.get(0).toString()).matches("LISTEN +0 +\\? 127\\.0\\.0\\.1:12345 .*");
        assertThat(procfs.get(0).sendQ()).isZero();
        assertThat(netlink.get(0).toString()).matches("LISTEN +0 +1 127\\.0\\.0\\.1:12345 .*");
    }

    @Test
    @DisplayName("where only the agent saw listen(), Send-Q is what it asked for, marked; never for another process's")
    void requestedBacklogMarked() {
        BacklogHints.register(local -> OptionalInt.of(50));
        try {
            SocketSnapshot snapshot = SsText.snapshot(SnapshotSource.PROCFS, """
                    LISTEN 0 0 127.0.0.1:8080  0.0.0.0:* ino:700 own
                    LISTEN 0 0 127.0.0.1:12345 0.0.0.0:* ino:500
                    """);

            assertThat(snapshot.all().get(0).toString()).matches("LISTEN +0 +50\\* 127\\.0\\.0\\.1:8080 .*");
            assertThat(snapshot.listener(8080).orElseThrow().backlog()).hasValue(50);
            assertThat(snapshot.all().get(1).toString())
                    .as("a hint by address could be a closed listener of ours; another process's listen() is never seen")
                    .matches("LISTEN +0 +\\? 127\\.0\\.0\\.1:12345 .*");
            assertThat(snapshot.allListeners().get(1).backlog()).isEmpty();
        } finally {
            BacklogHints.register(null);
        }
    }
}
