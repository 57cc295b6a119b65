package io.github.sockleak.internal.netlink;

import static io.github.sockleak.testing.NetlinkAvailability.assumeNetlinkExpected;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The benchmarks' entry point to the snapshot's netlink dump")
class NetlinkDumpsTest {

    @Test
    @DisplayName("receives the whole dump undecoded, and decodes it into rows, with this test's listener open")
    void dumpsTheTable() throws IOException {
        assumeNetlinkExpected();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NetlinkDumps dumps = NetlinkDumps.linked();
            assertThat(dumps.decoded()).isPositive();
            // At least the listener's inet_diag_msg (72 bytes after its 16-byte header) and the NLMSG_DONE of each dump.
            assertThat(dumps.undecoded()).isGreaterThanOrEqualTo(16 + 72 + 2 * 20);
        }
    }
}
