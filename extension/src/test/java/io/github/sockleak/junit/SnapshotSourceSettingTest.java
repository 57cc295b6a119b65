package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static io.github.sockleak.junit.Fixtures.NET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

@DisplayName("sockleak.source")
class SnapshotSourceSettingTest {

    @AfterEach
    void closeSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("procfs reads /proc even where netlink works, and the report says so; only the agent knows the backlog then")
    void procfs() {
        Throwable failure = onlyFailure(Fixtures.run(QueuedOnBacklog7.class,
                NoSocketLeaks.SOURCE_PROPERTY_NAME, "procfs").testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class);
        assertThat(failure.getMessage())
                .contains("source PROCFS: /proc/net/tcp and /proc/net/tcp6, chosen explicitly")
                .contains(":" + QueuedOnBacklog7.port + ": depth 1, backlog "
                        + (AgentLoading.ofThisJvm().recordsOrigins() ? "7" : "unknown"));
    }

    @Test
    @DisplayName("netlink, where this JVM can use it, shows the listener's backlog from the kernel")
    void netlinkWhereUsable() {
        assumeTrue(netlinkUsable(), "netlink is not usable in this JVM");

        Throwable failure = onlyFailure(Fixtures.run(QueuedOnBacklog7.class,
                NoSocketLeaks.SOURCE_PROPERTY_NAME, "netlink").testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class);
        assertThat(failure.getMessage())
                .contains("source NETLINK: this process's sockets only: NETLINK_SOCK_DIAG lookups")
                .contains(", chosen explicitly)")
                .contains(":" + QueuedOnBacklog7.port + ": depth 1, backlog 7");
    }

    @Test
    @DisplayName("netlink, where this JVM cannot use it, is a configuration error with the reason, never a leak or a /proc read")
    void netlinkWhereNotUsable() {
        assumeFalse(netlinkUsable(), "netlink is usable in this JVM");
        String reason = Sockets.snapshot().sourceReason();

        Throwable failure = onlyFailure(Fixtures.run(QueuedOnBacklog7.class,
                NoSocketLeaks.SOURCE_PROPERTY_NAME, "netlink").testEvents());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
        assertThat(failure.getMessage())
                .startsWith("sockleak: sockleak.source=netlink cannot be used to check SnapshotSourceSettingTest.QueuedOnBacklog7")
                .contains(reason.substring(reason.indexOf("netlink not used: ") + "netlink not used: ".length()))
                .doesNotContain("source PROCFS");
    }

    @Test
    @DisplayName("rejects an unknown source, naming the three allowed")
    void unknownSource() {
        Throwable failure = onlyFailure(Fixtures.run(QueuedOnBacklog7.class,
                NoSocketLeaks.SOURCE_PROPERTY_NAME, "ebpf").containerEvents());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.source")
                .hasMessageContaining("'ebpf'")
                .hasMessageContaining("auto, procfs, netlink");
    }

    private static boolean netlinkUsable() {
        return Sockets.snapshot().source() == SnapshotSource.NETLINK;
    }

    // ---- fixture: run only through Fixtures.run ----

    @NoSocketLeaks(settle = "100ms")
    static class QueuedOnBacklog7 {
        static int port;

        @Test
        void leavesAClientInTheAcceptQueue() throws Exception {
            ServerSocket server = NET.listen(Loopback.IPV4, 7);
            port = server.getLocalPort();
            NET.connect(port).close();
        }
    }
}
