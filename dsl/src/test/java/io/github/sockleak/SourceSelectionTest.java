package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.OwnSocketSource;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.SocketTable;
import io.github.sockleak.internal.netlink.Errno;
import io.github.sockleak.internal.netlink.NetlinkException;
import io.github.sockleak.internal.netlink.NetlinkSupport;
import io.github.sockleak.internal.netlink.NetlinkSupport.Availability;
import io.github.sockleak.testing.FakeProc;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.NetlinkAvailability;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Choosing a snapshot's source")
class SourceSelectionTest {

    /** How an available netlink calls the C library, as the reason names it. */
    private static final String HOW = "JNA on JDK 17";
    private static final String NO_JNA = "JNA (net.java.dev.jna:jna) is not on the class path";

    private static final SocketSource REFUSED = sink -> {
        throw NetlinkException.ofErrno("socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)", Errno.EPERM);
    };

    private static final OwnSocketSource OWN_REFUSED = ports -> {
        throw NetlinkException.ofErrno("getsockname on descriptor 7", 22);
    };
    private static final OwnSocketSource OWN_UNUSED = ports -> {
        throw new AssertionError("this process's sockets must not be read alone");
    };
    /** A netlink table of one socket, so that a test can tell it from /proc's. */
    private static final SocketTable ONE_SOCKET_TABLE = new SocketTable(List.of(new RawSocketRow(StandardProtocolFamily.INET,
            TcpState.LISTEN, Loopback.IPV4, 4242, Addresses.of(new byte[4]), 0, 7, 0, 1000, 99, OptionalLong.of(5),
            OptionalInt.of(7), OptionalLong.of(0))), List.of(), Set.of(99L));
    private static final SocketSource ONE_SOCKET = ONE_SOCKET_TABLE::into;

    private final ProcfsSocketSource procfs = ProcfsSocketSource.system();

    @Test
    @DisplayName("automatically falls back to /proc when netlink fails, keeping the failure as the reason")
    void fallsBackOnFailure() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(REFUSED, OWN_UNUSED, HOW), procfs).automatic();

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.sourceReason()).isEqualTo("/proc/net/tcp and /proc/net/tcp6; netlink failed:"
                + " socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG): EPERM (operation not permitted), errno 1; fell back to /proc");
        assertThat(snapshot.all()).isNotEmpty();
    }

    @Test
    @DisplayName("automatically uses /proc, saying why, when netlink cannot be used")
    void unavailable() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.unavailable(NO_JNA), procfs)
                .automatic();

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.sourceReason()).endsWith("; netlink not used: " + NO_JNA);
    }

    @Test
    @DisplayName("never replaces a netlink chosen explicitly: it throws with the reason instead")
    void chosenNetlinkNeverFallsBack() {
        assertThatThrownBy(() -> new SourceSelection(() -> Availability.unavailable("native access is not enabled"), procfs)
                .chosen(SnapshotSource.NETLINK))
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessage("netlink was chosen explicitly but cannot be used: native access is not enabled");
        assertThatThrownBy(() -> new SourceSelection(() -> Availability.of(REFUSED, OWN_UNUSED, HOW), procfs).chosen(SnapshotSource.NETLINK))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("EPERM");
    }

    @Test
    @DisplayName("reads /proc when /proc is chosen, even where netlink works")
    void chosenProcfs() {
        SocketSource failIfUsed = sink -> {
            throw new AssertionError("netlink must not be read");
        };

        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(failIfUsed, OWN_UNUSED, HOW), procfs).chosen(SnapshotSource.PROCFS);

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.sourceReason()).isEqualTo("/proc/net/tcp and /proc/net/tcp6, chosen explicitly");
    }

    @Test
    @DisplayName("reads this process's sockets alone when netlink can, with PROCESS coverage and the watched ports named")
    void ownSnapshot() {
        OwnSocketSource own = ports -> {
            assertThat(ports).containsExactlyInAnyOrder(8080, 443);
            return ONE_SOCKET_TABLE;
        };

        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(ONE_SOCKET, own, HOW), procfs)
                .ownAutomatic(Set.of(8080, 443));

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.NETLINK);
        assertThat(snapshot.coverage()).isEqualTo(SnapshotCoverage.PROCESS);
        assertThat(snapshot.sourceReason()).isEqualTo("this process's sockets only: NETLINK_SOCK_DIAG lookups of its socket"
                + " descriptors, dumps of the ports of its non-empty accept queues and of the watched ports 443, 8080"
                + " (JNA on JDK 17)");
        assertThat(snapshot.listener(4242)).isPresent();
        assertThat(snapshot.toString()).startsWith("SocketSnapshot(NETLINK, PROCESS coverage, 1 sockets, 1 own)");
    }

    @Test
    @DisplayName("reads the whole table when this process's sockets cannot be read alone, keeping why")
    void ownFallsBackToTheWholeTable() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(ONE_SOCKET, OWN_REFUSED, HOW), procfs)
                .ownAutomatic(Set.of());

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.NETLINK);
        assertThat(snapshot.coverage()).isEqualTo(SnapshotCoverage.NAMESPACE);
        assertThat(snapshot.sourceReason()).isEqualTo("NETLINK_SOCK_DIAG dump (JNA on JDK 17); reading this"
                + " process's sockets alone failed (getsockname on descriptor 7: EINVAL (invalid argument), errno 22),"
                + " so the whole table was read");
        assertThat(snapshot.all()).hasSize(1);
    }

    @Test
    @DisplayName("falls back to /proc, keeping both reasons, when the whole netlink table fails too")
    void ownFallsBackToProcfs() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(REFUSED, OWN_REFUSED, HOW), procfs).ownAutomatic(Set.of());

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.coverage()).isEqualTo(SnapshotCoverage.NAMESPACE);
        assertThat(snapshot.sourceReason()).startsWith("/proc/net/tcp and /proc/net/tcp6; netlink failed: socket(AF_NETLINK")
                .endsWith("fell back to /proc; reading this process's sockets alone failed (getsockname on descriptor 7:"
                        + " EINVAL (invalid argument), errno 22), so the whole table was read");
    }

    @Test
    @DisplayName("reads the whole table from /proc, as before, when netlink cannot be used")
    void ownWithoutNetlink() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.unavailable(NO_JNA), procfs)
                .ownAutomatic(Set.of(8080));

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.coverage()).isEqualTo(SnapshotCoverage.NAMESPACE);
        assertThat(snapshot.sourceReason()).isEqualTo("/proc/net/tcp and /proc/net/tcp6; netlink not used: " + NO_JNA);
    }

    @Test
    @DisplayName("keeps a chosen netlink when this process's sockets cannot be read alone: the whole netlink table, never /proc")
    void ownChosenNetlink() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(ONE_SOCKET, OWN_REFUSED, HOW), procfs)
                .ownChosen(SnapshotSource.NETLINK, Set.of());

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.NETLINK);
        assertThat(snapshot.coverage()).isEqualTo(SnapshotCoverage.NAMESPACE);
        assertThat(snapshot.sourceReason()).startsWith("NETLINK_SOCK_DIAG dump, chosen explicitly; reading this process's"
                + " sockets alone failed");
        assertThatThrownBy(() -> new SourceSelection(() -> Availability.unavailable("native access is not enabled"), procfs)
                .ownChosen(SnapshotSource.NETLINK, Set.of()))
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessage("netlink was chosen explicitly but cannot be used: native access is not enabled");
    }

    @Test
    @DisplayName("reads the whole /proc table when /proc is chosen: it cannot look sockets up one by one")
    void ownChosenProcfs() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(ONE_SOCKET, OWN_UNUSED, HOW), procfs)
                .ownChosen(SnapshotSource.PROCFS, Set.of(8080));

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.coverage()).isEqualTo(SnapshotCoverage.NAMESPACE);
        assertThat(snapshot.sourceReason()).isEqualTo("/proc/net/tcp and /proc/net/tcp6, chosen explicitly");
    }

    @Test
    @DisplayName("counts a machine without /proc/net as supported when netlink answers, and reads this process's sockets from it")
    void netlinkWithoutProcNet(@TempDir Path emptyProc) throws IOException {
        NetlinkAvailability.assumeNetlinkExpected();
        SourceSelection selection = new SourceSelection(NetlinkSupport::availability, new ProcfsSocketSource(emptyProc));

        assertThat(selection.isSupported()).isTrue();
        try (ServerSocket server = new ServerSocket(0, 5, Loopback.IPV4)) {
            SocketSnapshot snapshot = selection.ownAutomatic(Set.of());
            assertThat(snapshot.source()).isEqualTo(SnapshotSource.NETLINK);
            assertThat(snapshot.listener(server.getLocalPort()).map(listener -> listener.socket().local()))
                    .contains((InetSocketAddress) server.getLocalSocketAddress());
        }
    }

    @Test
    @DisplayName("is unsupported only when neither /proc/net/tcp nor netlink can be read")
    void unsupported(@TempDir Path emptyProc) {
        assertThat(new SourceSelection(() -> Availability.unavailable(NO_JNA),
                new ProcfsSocketSource(emptyProc)).isSupported()).isFalse();
        assertThat(new SourceSelection(() -> Availability.unavailable(NO_JNA), procfs)
                .isSupported()).isTrue();
    }

    @Test
    @DisplayName("refuses to read the table when /proc/self/fd lists no descriptor, rather than call every socket foreign")
    void emptyDescriptorListing(@TempDir Path root) throws IOException {
        try (FakeProc proc = new FakeProc(root).tcp(FakeProc.captured("net/tcp")).tcp6(FakeProc.captured("net/tcp6"))) {
            Files.createDirectories(root.resolve("self/fd"));

            assertThatThrownBy(() -> new ProcfsSocketSource(root).read())
                    .isInstanceOf(SocketSnapshotException.class)
                    .hasMessageContaining(root.resolve("self/fd") + " lists no descriptor at all")
                    .hasMessageContaining("the check cannot run");
        }
    }
}
