package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.netlink.Errno;
import io.github.sockleak.internal.netlink.NetlinkException;
import io.github.sockleak.internal.netlink.NetlinkSupport.Availability;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Choosing a snapshot's source")
class SourceSelectionTest {

    private static final SocketSource REFUSED = () -> {
        throw NetlinkException.ofErrno("socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)", Errno.EPERM);
    };

    private final SocketSource procfs = ProcfsSocketSource.system();

    @Test
    @DisplayName("automatically falls back to /proc when netlink fails, keeping the failure as the reason")
    void fallsBackOnFailure() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(REFUSED), procfs).automatic();

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.sourceReason()).isEqualTo("/proc/net/tcp and /proc/net/tcp6; netlink failed:"
                + " socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG): EPERM (operation not permitted), errno 1; fell back to /proc");
        assertThat(snapshot.all()).isNotEmpty();
    }

    @Test
    @DisplayName("automatically uses /proc, saying why, when netlink cannot be used")
    void unavailable() {
        SocketSnapshot snapshot = new SourceSelection(() -> Availability.unavailable("netlink needs JDK 22+ (running 17)"), procfs)
                .automatic();

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.sourceReason()).endsWith("; netlink not used: netlink needs JDK 22+ (running 17)");
    }

    @Test
    @DisplayName("never replaces a netlink chosen explicitly: it throws with the reason instead")
    void chosenNetlinkNeverFallsBack() {
        assertThatThrownBy(() -> new SourceSelection(() -> Availability.unavailable("native access is not enabled"), procfs)
                .chosen(SnapshotSource.NETLINK))
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessage("netlink was chosen explicitly but cannot be used: native access is not enabled");
        assertThatThrownBy(() -> new SourceSelection(() -> Availability.of(REFUSED), procfs).chosen(SnapshotSource.NETLINK))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("EPERM");
    }

    @Test
    @DisplayName("reads /proc when /proc is chosen, even where netlink works")
    void chosenProcfs() {
        SocketSource failIfUsed = () -> {
            throw new AssertionError("netlink must not be read");
        };

        SocketSnapshot snapshot = new SourceSelection(() -> Availability.of(failIfUsed), procfs).chosen(SnapshotSource.PROCFS);

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.sourceReason()).isEqualTo("/proc/net/tcp and /proc/net/tcp6, chosen explicitly");
    }
}
