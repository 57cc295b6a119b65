package io.github.sockleak.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** On /proc whatever the JDK: netlink gives the kernel's backlog, which always wins over a hint. */
@DisplayName("BacklogHints: a listener's backlog where /proc has none")
class BacklogHintsTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void close() {
        BacklogHints.register(null);
        net.close();
    }

    @Test
    @DisplayName("gives an own listener the backlog the registered lookup knows, by its local address")
    void fillsTheBacklog() {
        ServerSocket server = net.listen(Loopback.IPV4, 17);
        BacklogHints.register(local -> local.getPort() == server.getLocalPort() && local.getAddress().equals(Loopback.IPV4)
                ? OptionalInt.of(17) : OptionalInt.empty());

        assertThat(Sockets.snapshot(SnapshotSource.PROCFS).listener(server.getLocalPort()).orElseThrow().backlog()).hasValue(17);
    }

    @Test
    @DisplayName("leaves the backlog unknown without a lookup, or when the lookup fails")
    void staysUnknown() {
        ServerSocket server = net.listen();
        assertThat(Sockets.snapshot(SnapshotSource.PROCFS).listener(server.getLocalPort()).orElseThrow().backlog()).isEmpty();

        BacklogHints.register(local -> {
            throw new IllegalStateException("a broken lookup");
        });
        assertThat(Sockets.snapshot(SnapshotSource.PROCFS).listener(server.getLocalPort()).orElseThrow().backlog()).isEmpty();
    }
}
