package io.github.sockleak;

import static io.github.sockleak.testing.NetlinkAvailability.assumeNetlinkExpected;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.EarlierConnections;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The netlink source, on real loopback sockets")
class NetlinkSourceTest {

    private final Loopback net = new Loopback();
    private EarlierConnections earlier;

    @BeforeEach
    void netlinkOnly() {
        assumeNetlinkExpected();
        earlier = EarlierConnections.in(Sockets.snapshot(SnapshotSource.NETLINK));
    }

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("lists the same sockets as /proc for a quiet population of a few hundred, and nothing twice")
    void sameSocketsAsProcfs() throws UnknownHostException {
        Set<InetSocketAddress> ports = new HashSet<>();
        ServerSocket ipv4 = net.listen(Loopback.IPV4, 200);
        ServerSocket dualStack = net.listen(null, 200);
        ServerSocket ipv6 = net.listen(InetAddress.getByName("::1"), 200);
        ports.add(new InetSocketAddress(InetAddress.getByName("::"), dualStack.getLocalPort()));
        for (ServerSocket server : List.of(ipv4, dualStack, ipv6)) {
            InetAddress target = server == ipv6 ? InetAddress.getByName("::1") : Loopback.IPV4;
            ports.add(new InetSocketAddress(target, server.getLocalPort()));
            for (int i = 0; i < 40; i++) {
                net.connect(target, server.getLocalPort());
                net.accept(server);                                  // ESTABLISHED pairs
            }
            for (int i = 0; i < 10; i++) {
                net.connect(target, server.getLocalPort());          // queued, never accepted
            }
            for (int i = 0; i < 10; i++) {
                Loopback.close(net.connect(target, server.getLocalPort())); // CLOSE-WAIT children, FIN-WAIT-2 orphans
            }
        }
        int expected = 3 * (1 + 40 * 2 + 10 * 2 + 10 * 2);
        Polling.Result<List<Row>> settled = Polling.until(() -> rows(Sockets.snapshot(SnapshotSource.NETLINK), ports),
                rows -> rows.size() == expected && rows.stream().filter(r -> r.state == TcpState.CLOSE_WAIT).count() == 30,
                Duration.ofSeconds(10));
        assertThat(settled.satisfied()).as("%d sockets with 30 CLOSE-WAIT, got %s", expected, settled.value()).isTrue();

        // Quiet now: the two sources must agree. Poll anyway, so a late FIN on a busy machine cannot fail the test.
        Polling.Result<List<List<Row>>> agreed = Polling.until(
                () -> List.of(rows(Sockets.snapshot(SnapshotSource.NETLINK), ports), rows(Sockets.snapshot(SnapshotSource.PROCFS), ports)),
                pair -> new HashSet<>(pair.get(0)).equals(new HashSet<>(pair.get(1))),
                Duration.ofSeconds(5));
        List<Row> netlink = agreed.value().get(0);
        List<Row> procfs = agreed.value().get(1);
        assertThat(new HashSet<>(netlink)).as("netlink vs /proc").isEqualTo(new HashSet<>(procfs));
        assertThat(netlink).as("netlink lists each socket once").doesNotHaveDuplicates().hasSize(expected);
        assertThat(netlink).as("on a descriptor: listeners, accepted pairs, queued clients")
                .filteredOn(r -> r.inode != 0).hasSize(3 * (1 + 40 * 2 + 10))
                .allMatch(r -> r.owner == Owner.THIS_PROCESS, "held by this process");
    }

    @Test
    @DisplayName("lists the same sockets through one dump per family, as on a kernel without the legacy request")
    void perFamilyDumps() throws Exception {
        ServerSocket dualStack = net.listen(null, 50);
        ServerSocket ipv6 = net.listen(InetAddress.getByName("::1"), 50);
        net.connect(Loopback.IPV4, dualStack.getLocalPort());
        net.accept(dualStack);
        net.connect(InetAddress.getByName("::1"), ipv6.getLocalPort());
        Set<InetSocketAddress> ends = Set.of(new InetSocketAddress(InetAddress.getByName("::"), dualStack.getLocalPort()),
                new InetSocketAddress(Loopback.IPV4, dualStack.getLocalPort()),
                new InetSocketAddress(InetAddress.getByName("::1"), ipv6.getLocalPort()));
        List<Row> oneWalk = Polling.until(() -> rows(Sockets.snapshot(SnapshotSource.NETLINK), ends), r -> r.size() == 6,
                Duration.ofSeconds(10)).value();

        List<Row> perFamily = LegacyDump.refused(() -> rows(Sockets.snapshot(SnapshotSource.NETLINK), ends));

        assertThat(new HashSet<>(perFamily)).isEqualTo(new HashSet<>(oneWalk)).hasSize(6);
    }

    @Test
    @DisplayName("reports a listener created with backlog 7 as backlog() == 7, with its accept-queue depth")
    void backlog() {
        ServerSocket server = net.listen(Loopback.IPV4, 7);
        int port = server.getLocalPort();
        net.connect(port);
        net.connect(port);

        SocketSnapshot snapshot = Polling.until(() -> Sockets.snapshot(SnapshotSource.NETLINK),
                s -> s.listener(port).map(Listener::acceptQueueDepth).orElse(0) == 2, Duration.ofSeconds(10)).value();

        Listener listener = snapshot.listener(port).orElseThrow();
        assertThat(snapshot.source()).isEqualTo(SnapshotSource.NETLINK);
        assertThat(listener.backlog()).hasValue(7);
        assertThat(listener.socket().sendQ()).as("ss's Send-Q for a listener").isEqualTo(7);
        assertThat(listener.acceptQueueDepth()).isEqualTo(2);
        assertThat(listener.isOverflowing()).isFalse();
        assertThat(listener.socket().cookie()).isPresent();
    }

    @Test
    @DisplayName("reports the seed's port reuse as reuse by cookie")
    void seedReuseByCookie() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        int firstPort = net.queueTwoClosedClients(port);
        SocketSnapshot before = await(s -> queued(s, port, TcpState.CLOSE_WAIT) == 2);

        net.connectFrom(firstPort, port);
        InetSocketAddress serverEnd = new InetSocketAddress(Loopback.IPV4, port);
        InetSocketAddress reusedEnd = new InetSocketAddress(Loopback.IPV4, firstPort);
        SocketSnapshot after = await(s -> s.own().stream().anyMatch(t -> Loopback.fourTuple(serverEnd, reusedEnd).test(t)
                && t.state() == TcpState.ESTABLISHED && t.owner() == Owner.ACCEPT_QUEUE));

        assertThat(after.listener(port).orElseThrow().ghosts()).isEqualTo(1);
        assertThat(after.since(before).reused()).filteredOn(r -> r.local().equals(serverEnd)).singleElement().satisfies(reuse -> {
            assertThat(reuse.remote()).isEqualTo(reusedEnd);
            assertThat(reuse.before().state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(reuse.after().state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(reuse.before().cookie()).isPresent();
            assertThat(reuse.after().cookie()).isPresent().isNotEqualTo(reuse.before().cookie());
        });
    }

    @Test
    @DisplayName("tells a replaced queued connection from the same one by cookie, where /proc sees the same socket")
    void replacementInTheSameStateByCookie() throws IOException {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        Socket first = net.connect(port);
        int clientPort = first.getLocalPort();
        SocketSnapshot netlinkBefore = await(s -> queued(s, port, TcpState.ESTABLISHED) == 1);
        SocketSnapshot procfsBefore = Sockets.snapshot(SnapshotSource.PROCFS);

        first.setSoLinger(true, 0);
        first.close(); // RST: the queued child dies at once and leaves no TIME-WAIT behind the client's port
        net.connectFrom(clientPort, port);
        SocketSnapshot netlinkAfter = await(s -> queued(s, port, TcpState.ESTABLISHED) == 1
                && s.listener(port).orElseThrow().acceptQueueDepth() == 2);
        SocketSnapshot procfsAfter = Sockets.snapshot(SnapshotSource.PROCFS);

        // The client end has a new inode, which /proc sees too; the queued server end has none, only a cookie.
        // Both by the listener's whole address: the full snapshots hold other processes' sockets too, whose ports
        // can be the same numbers on another address.
        InetSocketAddress serverEnd = new InetSocketAddress(Loopback.IPV4, port);
        assertThat(netlinkAfter.since(netlinkBefore).reused()).as("cookies differ: a new server-side socket")
                .filteredOn(reuse -> reuse.local().equals(serverEnd)).singleElement()
                .satisfies(reuse -> assertThat(reuse.remote()).isEqualTo(new InetSocketAddress(Loopback.IPV4, clientPort)));
        assertThat(procfsAfter.since(procfsBefore).reused())
                .as("/proc: same 4-tuple, no inode, ESTABLISHED both times: it cannot tell")
                .filteredOn(reuse -> reuse.local().equals(serverEnd)).isEmpty();
    }

    private static SocketSnapshot await(java.util.function.Predicate<SocketSnapshot> condition) {
        Polling.Result<SocketSnapshot> result = Polling.until(() -> Sockets.snapshot(SnapshotSource.NETLINK), condition, Duration.ofSeconds(10));
        assertThat(result.satisfied()).as("condition not reached; last snapshot:%n%s", result.value()).isTrue();
        return result.value();
    }

    private static int queued(SocketSnapshot snapshot, int port, TcpState state) {
        return snapshot.listener(port).map(l -> (int) l.queued().stream().filter(t -> t.state() == state).count()).orElse(0);
    }

    /**
     * The sockets with one end on one of our listeners' endpoints. Not by port alone: other processes' sockets can
     * use the same port number on another address (an ephemeral 127.0.0.1 port beside our ::1 listener). Nor with
     * the connections that were there before the test.
     */
    private List<Row> rows(SocketSnapshot snapshot, Set<InetSocketAddress> ends) {
        return snapshot.all().stream()
                .filter(t -> ends.contains(t.local()) || ends.contains(t.remote()))
                .filter(t -> !earlier.contains(t))
                .map(Row::new)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** What both sources must agree on. */
    private static final class Row {
        final TcpState state;
        final Object family;
        final InetSocketAddress local;
        final InetSocketAddress remote;
        final long inode;
        final long recvQ;
        final int uid;
        /** The netlink source finds this process's descriptors its own way: it must tell ours as /proc does. */
        final Owner owner;

        Row(TcpSocket socket) {
            this.state = socket.state();
            this.family = socket.family();
            this.local = socket.local();
            this.remote = socket.remote();
            this.inode = socket.inode();
            this.recvQ = socket.recvQ();
            this.uid = socket.uid();
            this.owner = socket.owner();
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Row)) {
                return false;
            }
            Row that = (Row) other;
            return state == that.state && family == that.family && local.equals(that.local) && remote.equals(that.remote)
                    && inode == that.inode && recvQ == that.recvQ && uid == that.uid && owner == that.owner;
        }

        @Override
        public int hashCode() {
            return Objects.hash(state, local, remote, inode);
        }

        @Override
        public String toString() {
            return family + " " + state + " " + local + " " + remote + " ino:" + inode + " rq:" + recvQ + " uid:" + uid + " " + owner;
        }
    }
}
