package io.github.sockleak;

import static io.github.sockleak.testing.NetlinkAvailability.assumeNetlinkExpected;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.testing.ForeignSockets;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A snapshot of this process's sockets alone, on real loopback sockets")
class OwnSnapshotTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Loopback net = new Loopback();
    private final List<AutoCloseable> others = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void netlinkOnly() {
        assumeNetlinkExpected();
    }

    @AfterEach
    void closeSockets() throws Exception {
        for (AutoCloseable other : others) {
            other.close();
        }
        net.close();
    }

    @Test
    @DisplayName("holds exactly the sockets and listeners a full snapshot finds this process's, and is marked PROCESS")
    void sameOwnSocketsAsTheFullSnapshot() throws IOException {
        ServerSocket ipv4 = net.listen(Loopback.IPV4, 50);                  // dual-stack socket bound to ::ffff:127.0.0.1
        ServerSocket dualStack = net.listen(null, 50);                      // [::]
        ServerSocket ipv6 = net.listen(InetAddress.getByName("::1"), 50);
        ServerSocketChannel inetOnly = track(ServerSocketChannel.open(StandardProtocolFamily.INET));
        inetOnly.bind(new InetSocketAddress(Loopback.IPV4, 0), 50);         // an AF_INET socket, in the IPv4 table
        int inetOnlyPort = ((InetSocketAddress) inetOnly.getLocalAddress()).getPort();
        for (ServerSocket server : List.of(ipv4, dualStack, ipv6)) {
            InetAddress target = server == ipv6 ? InetAddress.getByName("::1") : Loopback.IPV4;
            net.connect(target, server.getLocalPort());
            net.accept(server);                                             // an accepted pair
            net.connect(target, server.getLocalPort());                     // queued, ESTABLISHED
            Loopback.close(net.connect(target, server.getLocalPort()));     // queued, CLOSE-WAIT
        }
        net.connect(InetAddress.getByName("::1"), dualStack.getLocalPort()); // an IPv6 child of the dual-stack listener
        track(SocketChannel.open(new InetSocketAddress(Loopback.IPV4, inetOnlyPort)));
        track(inetOnly.accept());
        Socket unconnected = track(new Socket());
        unconnected.bind(new InetSocketAddress(Loopback.IPV4, 0));          // TCP_CLOSE: in no table
        track(new DatagramSocket(new InetSocketAddress(Loopback.IPV4, 0))); // UDP, Unix and netlink descriptors are
        unixPair();                                                          // socket:[inode] links too

        SocketSnapshot own = awaitAgreement(full -> full.own().stream().filter(t -> t.state() == TcpState.CLOSE_WAIT).count() == 3);

        assertThat(own.coverage()).isEqualTo(SnapshotCoverage.PROCESS);
        assertThat(own.source()).isEqualTo(SnapshotSource.NETLINK);
        assertThat(own.sourceReason()).startsWith("this process's sockets only: NETLINK_SOCK_DIAG lookups");
        assertThat(own.own()).as("queued children of 3 listeners").filteredOn(t -> t.owner() == Owner.ACCEPT_QUEUE).hasSize(7);
        assertThat(own.listeners()).hasSize(4);
        assertThat(own.listener(ipv4.getLocalPort()).orElseThrow().queued()).hasSize(2);
        assertThat(own.listener(dualStack.getLocalPort()).orElseThrow().queued()).as("two IPv4-mapped children and one IPv6 child")
                .hasSize(3);
        assertThat(own.all()).as("nothing but what is ours").allMatch(TcpSocket::isOwn);
    }

    @Test
    @DisplayName("finds the seed's ghost as the full snapshot does, and the reused 4-tuple by cookie")
    void seedGhostAndReuse() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        int firstPort = net.queueTwoClosedClients(port);
        SocketSnapshot before = awaitOwn(s -> queued(s, port, TcpState.CLOSE_WAIT) == 2);

        net.connectFrom(firstPort, port);
        SocketSnapshot after = awaitAgreement(full -> full.listener(port).map(Listener::ghosts).orElse(0) == 1);

        Listener listener = after.listener(port).orElseThrow();
        assertThat(listener.ghosts()).isEqualTo(1);
        assertThat(listener.acceptQueueDepth()).isEqualTo(3);
        assertThat(listener.backlog()).hasValue(50);
        InetSocketAddress serverEnd = new InetSocketAddress(Loopback.IPV4, port);
        InetSocketAddress reusedEnd = new InetSocketAddress(Loopback.IPV4, firstPort);
        assertThat(after.since(before).reused()).filteredOn(r -> r.local().equals(serverEnd)).singleElement().satisfies(reuse -> {
            assertThat(reuse.remote()).isEqualTo(reusedEnd);
            assertThat(reuse.before().state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(reuse.after().state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(reuse.after().cookie()).isPresent().isNotEqualTo(reuse.before().cookie());
        });
    }

    @Test
    @DisplayName("leaves out another process's sockets, unless their port is watched")
    void otherProcesses() {
        ForeignSockets foreign = track(ForeignSockets.start(3, 2));
        int port = foreign.port();
        // The child's sockets by their whole 4-tuples, which it told: by port alone, other processes' sockets would
        // count too (a TIME-WAIT of an earlier listener on the port, a client's port on another address).
        InetSocketAddress listener = foreign.address();
        Set<List<InetSocketAddress>> serverEnds = new HashSet<>();
        Set<List<InetSocketAddress>> clientEnds = new HashSet<>();
        for (InetSocketAddress client : foreign.clients()) {
            serverEnds.add(List.of(listener, client));
            clientEnds.add(List.of(client, listener));
        }
        Predicate<TcpSocket> onForeignListenerPort = t -> t.local().equals(listener)
                && (t.state() == TcpState.LISTEN || serverEnds.contains(List.of(t.local(), t.remote())));
        Predicate<TcpSocket> onForeignPort = t -> onForeignListenerPort.test(t) || clientEnds.contains(List.of(t.local(), t.remote()));
        SocketSnapshot full = await(() -> Sockets.snapshot(SnapshotSource.NETLINK),
                s -> s.all().stream().filter(onForeignPort).count() == 1 + 2 * 3 + 2 * 2);

        SocketSnapshot own = Sockets.ownSnapshot(Set.of());
        SocketSnapshot watching = await(() -> Sockets.ownSnapshot(Set.of(port)),
                s -> s.all().stream().filter(onForeignListenerPort).count() == 1 + 3 + 2);

        assertThat(full.all()).filteredOn(onForeignPort).extracting(TcpSocket::owner).doesNotContain(Owner.THIS_PROCESS);
        assertThat(own.all()).noneMatch(onForeignPort);
        Set<Long> ourInodes = ProcfsSocketSource.system().ownSocketInodes();
        assertThat(own.all()).as("every socket with an inode is on one of our descriptors")
                .filteredOn(t -> t.inode() != 0).allMatch(t -> ourInodes.contains(t.inode()));
        assertThat(new HashSet<>(watching.all().stream().filter(onForeignListenerPort).collect(Collectors.toList())))
                .as("the watched port's sockets, as the full snapshot has them")
                .isEqualTo(new HashSet<>(full.all().stream().filter(onForeignListenerPort).collect(Collectors.toList())));
        assertThat(watching.all()).filteredOn(onForeignListenerPort).extracting(TcpSocket::owner)
                .containsOnly(Owner.OTHER_PROCESS);
        assertThat(watching.own()).noneMatch(onForeignPort);
        assertThat(watching.all()).as("the kernel filtered the dump by local port: not even the clients of that port")
                .filteredOn(t -> !t.isOwn()).allMatch(t -> t.local().getPort() == port);
    }

    @Test
    @DisplayName("finds a connection still in SYN-SENT, which has no peer name, through a dump of its port")
    void synSent() throws IOException {
        ServerSocket server = net.listen(Loopback.IPV4, 1);
        int port = server.getLocalPort();
        net.connect(port);
        net.connect(port); // depth 2 > backlog 1: the queue is full, the next SYN is dropped
        SocketChannel waiting = track(SocketChannel.open());
        waiting.configureBlocking(false);
        waiting.connect(new InetSocketAddress(Loopback.IPV4, port));

        SocketSnapshot own = awaitAgreement(full -> full.own().stream().anyMatch(t -> t.state() == TcpState.SYN_SENT));

        assertThat(own.own()).filteredOn(t -> t.state() == TcpState.SYN_SENT).singleElement()
                .satisfies(t -> assertThat(t.remote()).isEqualTo(new InetSocketAddress(Loopback.IPV4, port)));
    }

    @Test
    @DisplayName("tells SO_REUSEPORT listeners on one port apart, though the kernel's lookup answers with either")
    void reusePortListeners() throws IOException {
        ServerSocketChannel first = track(ServerSocketChannel.open());
        first.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        first.bind(new InetSocketAddress(Loopback.IPV4, 0), 10);
        int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
        ServerSocketChannel second = track(ServerSocketChannel.open());
        second.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        second.bind(new InetSocketAddress(Loopback.IPV4, port), 20);

        SocketSnapshot own = awaitAgreement(full -> true);

        assertThat(own.listeners()).filteredOn(l -> l.port() == port).extracting(l -> l.backlog().orElse(-1))
                .containsExactlyInAnyOrder(10, 20);
    }

    /** A connected pair of Unix-domain sockets: descriptors that link to socket:[inode] but are not TCP. */
    private void unixPair() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("unix.sock"));
        ServerSocketChannel server = track(ServerSocketChannel.open(StandardProtocolFamily.UNIX));
        server.bind(address);
        track(SocketChannel.open(address));
        track(server.accept());
    }

    /**
     * Polls an own snapshot and a full netlink one until the full one satisfies {@code ready} and both show the
     * same own sockets and listeners; asserts they do, and returns the own one.
     */
    private static SocketSnapshot awaitAgreement(Predicate<SocketSnapshot> ready) {
        Polling.Result<List<SocketSnapshot>> result = Polling.until(
                () -> List.of(Sockets.ownSnapshot(Set.of()), Sockets.snapshot(SnapshotSource.NETLINK)),
                pair -> ready.test(pair.get(1)) && sameOwnView(pair.get(0), pair.get(1)),
                PATIENCE);
        SocketSnapshot own = result.value().get(0);
        SocketSnapshot full = result.value().get(1);
        assertThat(ready.test(full)).as("the sockets did not settle; last full snapshot:%n%s", full).isTrue();
        assertThat(own.coverage()).isEqualTo(SnapshotCoverage.PROCESS);
        assertThat(new HashSet<>(own.own())).as("own sockets: own snapshot vs full").isEqualTo(new HashSet<>(full.own()));
        assertThat(listeners(own)).as("listeners: own snapshot vs full").isEqualTo(listeners(full));
        return own;
    }

    private static boolean sameOwnView(SocketSnapshot own, SocketSnapshot full) {
        return new HashSet<>(own.own()).equals(new HashSet<>(full.own())) && listeners(own).equals(listeners(full));
    }

    /** What a check reads from a listener: its socket, depth, backlog, visible children and ghosts. */
    private static Set<String> listeners(SocketSnapshot snapshot) {
        return snapshot.listeners().stream()
                .map(l -> l.socket() + " " + l + " " + l.queued().stream().map(t -> t.cookie().orElseThrow())
                        .sorted().collect(Collectors.toList()))
                .collect(Collectors.toSet());
    }

    private static SocketSnapshot awaitOwn(Predicate<SocketSnapshot> condition) {
        return await(() -> Sockets.ownSnapshot(Set.of()), condition);
    }

    private static SocketSnapshot await(java.util.function.Supplier<SocketSnapshot> snapshots, Predicate<SocketSnapshot> condition) {
        Polling.Result<SocketSnapshot> result = Polling.until(snapshots, condition, PATIENCE);
        assertThat(result.satisfied()).as("condition not reached; last snapshot:%n%s", result.value()).isTrue();
        return result.value();
    }

    private static int queued(SocketSnapshot snapshot, int port, TcpState state) {
        return snapshot.listener(port).map(l -> (int) l.queued().stream().filter(t -> t.state() == state).count()).orElse(0);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        others.add(0, closeable);
        return closeable;
    }
}
