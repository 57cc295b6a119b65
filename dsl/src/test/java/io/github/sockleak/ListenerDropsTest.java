package io.github.sockleak;

import static io.github.sockleak.testing.NetlinkAvailability.assumeNetlinkExpected;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A listener's drop count, on real loopback sockets")
class ListenerDropsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** Clients whose SYN the full listener drops: each counts once at least, once more for each retry. */
    private static final int REFUSED_CLIENTS = 3;

    private final Loopback net = new Loopback();
    private final List<SocketChannel> refused = new ArrayList<>();
    private ServerSocket full;
    private ServerSocket quiet;

    @AfterEach
    void closeSockets() throws IOException {
        closeRefused();
        net.close();
    }

    @Test
    @DisplayName("counts on netlink the SYNs an overflowing listener dropped, as ListenDrops does, and none for a quiet one")
    void fullSnapshot() throws Exception {
        assumeNetlinkExpected();

        long dropped = overflow(() -> Sockets.snapshot(SnapshotSource.NETLINK));

        assertThat(LegacyDump.refused(() -> dropsOf(Sockets.snapshot(SnapshotSource.NETLINK), fullEnd())))
                .as("read through one dump per family, as on a kernel without the legacy request")
                .isEqualTo(dropped);
    }

    @Test
    @DisplayName("counts them in a snapshot of this process's sockets alone, as in a full one")
    void ownSnapshot() throws IOException {
        assumeNetlinkExpected();

        long dropped = overflow(() -> Sockets.ownSnapshot(Set.of()));

        assertThat(dropsOf(Sockets.snapshot(SnapshotSource.NETLINK), fullEnd())).as("the full snapshot's count")
                .isEqualTo(dropped);
    }

    @Test
    @DisplayName("is empty on /proc, which does not show it")
    void emptyOnProcfs() {
        ServerSocket server = net.listen(Loopback.IPV4, 50);
        InetSocketAddress end = new InetSocketAddress(Loopback.IPV4, server.getLocalPort());

        Listener listener = listenerAt(Sockets.snapshot(SnapshotSource.PROCFS), end);

        assertThat(listener.drops()).isEmpty();
        assertThat(listener.toString()).doesNotContain("drops");
    }

    /**
     * Fills a listener of backlog 1 with two connections it never accepts (the kernel refuses a SYN once the depth
     * exceeds the backlog), has {@link #REFUSED_CLIENTS} more clients try, and checks the counts {@code snapshots}
     * show against the namespace's ListenDrops; a second listener, connected to and accepted from, drops nothing.
     * Returns the full listener's count once the refused clients are closed, when it no longer moves.
     */
    private long overflow(Supplier<SocketSnapshot> snapshots) throws IOException {
        full = net.listen(Loopback.IPV4, 1);
        quiet = net.listen(Loopback.IPV4, 50);
        net.connect(full.getLocalPort());
        net.connect(full.getLocalPort());
        net.connect(quiet.getLocalPort());
        net.accept(quiet);
        SocketSnapshot filled = await(snapshots, s -> listenerAt(s, fullEnd()).acceptQueueDepth() == 2,
                "the full listener's two connections queued");
        assertThat(listenerAt(filled, fullEnd()).drops()).as("nothing dropped yet").hasValue(0);
        TcpCounters before = Sockets.counters();

        for (int i = 0; i < REFUSED_CLIENTS; i++) {
            refused.add(connectWithoutWaiting(fullEnd()));
        }
        await(snapshots, s -> dropsOf(s, fullEnd()) >= REFUSED_CLIENTS, REFUSED_CLIENTS + " SYNs dropped");
        closeRefused(); // no more SYN retries: the count stops moving
        SocketSnapshot after = snapshots.get();
        TcpCounters moved = Sockets.counters().since(before);

        long dropped = dropsOf(after, fullEnd());
        assertThat(dropped).as("one drop per refused client at least").isGreaterThanOrEqualTo(REFUSED_CLIENTS);
        // Each of these drops moved ListenDrops too; that counter is the namespace's, so another process's overflow
        // moves it as well, never this listener's count.
        assertThat(moved.listenDrops()).as("ListenDrops moved (%s)", moved).isGreaterThanOrEqualTo(dropped);
        assertThat(listenerAt(after, quietEnd()).drops()).as("the quiet listener, though ListenDrops moved").hasValue(0);
        assertThat(listenerAt(after, fullEnd()).toString()).contains("drops=" + dropped);
        return dropped;
    }

    private InetSocketAddress fullEnd() {
        return new InetSocketAddress(Loopback.IPV4, full.getLocalPort());
    }

    private InetSocketAddress quietEnd() {
        return new InetSocketAddress(Loopback.IPV4, quiet.getLocalPort());
    }

    /** A client whose SYN is sent and whose connect() returns at once, the handshake left to the kernel. */
    private static SocketChannel connectWithoutWaiting(InetSocketAddress server) {
        try {
            SocketChannel client = SocketChannel.open();
            client.configureBlocking(false);
            client.connect(server);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeRefused() throws IOException {
        for (SocketChannel client : refused) {
            client.close();
        }
        refused.clear();
    }

    /** The listener bound to {@code end}, by its whole address: another of ours may share the port on another one. */
    private static Listener listenerAt(SocketSnapshot snapshot, InetSocketAddress end) {
        return snapshot.listeners().stream().filter(l -> l.local().equals(end)).findFirst()
                .orElseThrow(() -> new AssertionError("no listener of ours at " + end + " in " + snapshot));
    }

    private static long dropsOf(SocketSnapshot snapshot, InetSocketAddress end) {
        Listener listener = listenerAt(snapshot, end);
        assertThat(listener.drops()).as("%s on %s", listener, snapshot.source()).isPresent();
        return listener.drops().getAsLong();
    }

    private static SocketSnapshot await(Supplier<SocketSnapshot> snapshots, Predicate<SocketSnapshot> condition, String what) {
        Polling.Result<SocketSnapshot> result = Polling.until(snapshots, condition, PATIENCE);
        assertThat(result.satisfied()).as("%s within %s; last snapshot:%n%s", what, PATIENCE, result.value()).isTrue();
        return result.value();
    }
}
