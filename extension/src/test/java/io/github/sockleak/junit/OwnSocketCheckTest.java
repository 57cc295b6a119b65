package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static io.github.sockleak.junit.Fixtures.NET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.Owner;
import io.github.sockleak.SnapshotCoverage;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.testing.ForeignSockets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

/**
 * Where netlink is used, a check reads this process's sockets alone, so its cost does not grow with other
 * processes' sockets; on {@code /proc} it reads the whole table as before. Either way it finds the same leaks.
 */
@DisplayName("The check's snapshots")
class OwnSocketCheckTest {

    /** The port of the server another process runs, for {@link WatchesAnotherProcess}. */
    static final AtomicInteger FOREIGN_PORT = new AtomicInteger();
    static final AtomicReference<SnapshotCoverage> PROBED = new AtomicReference<>();

    @AfterEach
    void closeSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("hold this process's sockets alone where netlink is used, the whole table on /proc, and the report says which")
    void coverageFollowsTheSource() {
        boolean netlink = Sockets.snapshot().source() == SnapshotSource.NETLINK;

        Throwable failure = onlyFailure(Fixtures.run(SocketLeakExtensionTest.ServerForgetsToClose.class).testEvents());
        Fixtures.run(ProbesCoverage.class).testEvents().assertStatistics(stats -> stats.succeeded(1));

        assertThat(failure).isInstanceOf(SocketLeakError.class).hasMessageContaining("leaked 1 socket in CLOSE-WAIT");
        if (netlink) {
            assertThat(failure.getMessage()).contains("source NETLINK: this process's sockets only: NETLINK_SOCK_DIAG lookups"
                    + " of its socket descriptors");
            assertThat(PROBED.get()).isEqualTo(SnapshotCoverage.PROCESS);
        } else {
            assertThat(failure.getMessage()).contains("source PROCFS: /proc/net/tcp and /proc/net/tcp6");
            assertThat(PROBED.get()).isEqualTo(SnapshotCoverage.NAMESPACE);
        }
    }

    @Test
    @DisplayName("still find the children queued on a listener that never accepts, with its backlog")
    void acceptQueue() {
        Throwable failure = onlyFailure(Fixtures.run(SocketLeakExtensionTest.ListenerNeverAccepts.class).testEvents());

        assertThat(failure.getMessage()).contains("CLOSE-WAIT").contains("ACCEPT_QUEUE")
                .contains("accept queue of 127.0.0.1:" + SocketLeakExtensionTest.ListenerNeverAccepts.port + ": depth 1");
    }

    @Test
    @DisplayName("include a watched port's sockets held by another process: a CLOSE-WAIT there fails the test")
    void watchedPortOfAnotherProcess() {
        try (ForeignSockets foreign = ForeignSockets.start(0, 0)) {
            FOREIGN_PORT.set(foreign.port());

            Throwable failure = onlyFailure(Fixtures.run(WatchesAnotherProcess.class).testEvents());

            assertThat(failure).isInstanceOf(SocketLeakError.class);
            assertThat(failure.getMessage()).contains("leaked 1 socket in CLOSE-WAIT")
                    .contains("127.0.0.1:" + foreign.port() + " ")
                    .contains(Owner.OTHER_PROCESS.name());
            if (Sockets.snapshot().source() == SnapshotSource.NETLINK) {
                assertThat(failure.getMessage()).contains("and of the watched ports " + foreign.port());
            }
        }
    }

    // ---- fixtures: run only through Fixtures.run ----

    @NoSocketLeaks
    static class ProbesCoverage {
        @Test
        void probes(SocketProbe sockets) {
            PROBED.set(sockets.baseline().coverage());
            assertThat(sockets.snapshot().coverage()).isEqualTo(sockets.baseline().coverage());
        }
    }

    static class WatchesAnotherProcess {
        @RegisterExtension
        static final SocketLeakExtension SOCKETS = SocketLeakExtension.builder()
                .watchPorts(FOREIGN_PORT.get()).settle(Duration.ofMillis(200)).build();

        /** Another process's listener never accepts; the client closes: its queued child sits in CLOSE-WAIT. */
        @Test
        void leavesAChildInTheOtherProcessQueue() throws Exception {
            NET.connect(FOREIGN_PORT.get()).close();
        }
    }
}
