package io.github.sockleak;

import static io.github.sockleak.testing.Loopback.awaitSnapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.testing.Loopback;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A snapshot of real loopback sockets")
class SocketSnapshotTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("sees both ends of an ESTABLISHED connection as this process's")
    void establishedPair() {
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());
        Socket accepted = net.accept(server);

        SocketSnapshot snapshot = Sockets.snapshot();

        TcpSocket clientSide = only(snapshot, (InetSocketAddress) client.getLocalSocketAddress(), (InetSocketAddress) client.getRemoteSocketAddress());
        TcpSocket serverSide = only(snapshot, (InetSocketAddress) accepted.getLocalSocketAddress(), (InetSocketAddress) accepted.getRemoteSocketAddress());
        assertThat(clientSide.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(serverSide.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(clientSide.owner()).isEqualTo(Owner.THIS_PROCESS);
        assertThat(serverSide.owner()).isEqualTo(Owner.THIS_PROCESS);
        assertThat(clientSide.inode()).isNotZero().isNotEqualTo(serverSide.inode());
        assertThat(clientSide.local()).isEqualTo(serverSide.remote());
        assertThat(clientSide.remote()).isEqualTo(serverSide.local());
        assertThat(snapshot.own()).contains(clientSide, serverSide);
        Listener listener = snapshot.listener(server.getLocalPort()).orElseThrow();
        assertThat(listener.acceptQueueDepth()).isZero();
        assertThat(listener.queued()).isEmpty();
        assertThat(listener.socket().state()).isEqualTo(TcpState.LISTEN);
        assertThat(listener.socket().owner()).isEqualTo(Owner.THIS_PROCESS);
        if (snapshot.source() == SnapshotSource.PROCFS) {
            assertThat(listener.backlog()).as("/proc does not show the backlog").isEmpty();
            assertThat(listener.drops()).as("/proc does not show sk_drops").isEmpty();
        } else {
            assertThat(listener.backlog()).as("netlink's wqueue").hasValue(50);
            assertThat(listener.drops()).as("a listener that dropped nothing").hasValue(0);
        }
    }

    @Test
    @DisplayName("puts a closed, never accepted client in the listener's accept queue as CLOSE-WAIT")
    void closedClientWaitsInAcceptQueue() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        Socket client = net.connect(port);
        InetSocketAddress clientAddress = (InetSocketAddress) client.getLocalSocketAddress();
        InetSocketAddress serverAddress = new InetSocketAddress(Loopback.IPV4, port);
        Loopback.close(client);

        SocketSnapshot snapshot = awaitSnapshot("queued child in CLOSE-WAIT", s -> s.own().stream()
                .anyMatch(t -> Loopback.fourTuple(serverAddress, clientAddress).test(t) && t.state() == TcpState.CLOSE_WAIT));

        TcpSocket child = only(snapshot, serverAddress, clientAddress);
        assertThat(child.owner()).isEqualTo(Owner.ACCEPT_QUEUE);
        assertThat(child.inode()).isZero();
        assertThat(child.recvQ()).as("the FIN counts as one unread byte").isEqualTo(1);
        Listener listener = snapshot.listener(port).orElseThrow();
        assertThat(listener.acceptQueueDepth()).isEqualTo(1);
        assertThat(listener.queued()).containsExactly(child);
        assertThat(listener.ghosts()).isZero();
        TcpSocket clientSide = only(snapshot, clientAddress, serverAddress);
        assertThat(clientSide.owner()).as("closed by us, finishing in the kernel").isEqualTo(Owner.ORPHAN);
        assertThat(clientSide.inode()).isZero();
    }

    @Test
    @DisplayName("reproduces the seed experiment: a reused port leaves a ghost in the accept queue")
    void seedExperiment() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        Socket first = net.connectFrom(0, port);
        int firstPort = first.getLocalPort();
        Loopback.close(first);
        Socket second = net.connectFrom(0, port);
        int secondPort = second.getLocalPort();
        Loopback.close(second);
        SocketSnapshot before = awaitSnapshot("two queued CLOSE-WAIT children", s -> queuedIn(s, port, TcpState.CLOSE_WAIT) == 2);
        assertThat(before.listener(port).orElseThrow().ghosts()).isZero();

        Socket third = net.connectFrom(firstPort, port);
        assertThat(third.getLocalPort()).isEqualTo(firstPort);
        InetSocketAddress serverEnd = new InetSocketAddress(Loopback.IPV4, port);
        InetSocketAddress reusedEnd = new InetSocketAddress(Loopback.IPV4, firstPort);

        SocketSnapshot after = awaitSnapshot("the reused port's child ESTABLISHED", s -> s.own().stream()
                .anyMatch(t -> Loopback.fourTuple(serverEnd, reusedEnd).test(t) && t.state() == TcpState.ESTABLISHED
                        && t.owner() == Owner.ACCEPT_QUEUE));
        Listener listener = after.listener(port).orElseThrow();
        assertThat(listener.acceptQueueDepth()).isEqualTo(3);
        assertThat(listener.queued()).hasSize(2)
                .extracting(t -> t.remote().getPort(), TcpSocket::state)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(secondPort, TcpState.CLOSE_WAIT),
                        org.assertj.core.groups.Tuple.tuple(firstPort, TcpState.ESTABLISHED));
        assertThat(listener.ghosts()).isEqualTo(1);

        SocketDiff diff = after.since(before);
        assertThat(diff.reused()).anySatisfy(reuse -> {
            assertThat(reuse.local()).isEqualTo(serverEnd);
            assertThat(reuse.remote()).isEqualTo(reusedEnd);
            assertThat(reuse.before().state()).isEqualTo(TcpState.CLOSE_WAIT);
            assertThat(reuse.after().state()).isEqualTo(TcpState.ESTABLISHED);
        });
        // The whole 4-tuple: other processes' sockets open and close meanwhile, some of them in CLOSE-WAIT.
        assertThat(diff.closed()).filteredOn(Loopback.fourTuple(serverEnd, reusedEnd))
                .anySatisfy(t -> assertThat(t.state()).isEqualTo(TcpState.CLOSE_WAIT));
        assertThat(diff.opened()).filteredOn(Loopback.fourTuple(serverEnd, reusedEnd))
                .anySatisfy(t -> assertThat(t.state()).isEqualTo(TcpState.ESTABLISHED));
    }

    @Test
    @DisplayName("sees an IPv6 ::1 listener and its queued child in tcp6")
    void ipv6Loopback() throws UnknownHostException {
        InetAddress ipv6 = InetAddress.getByName("::1");
        ServerSocket server = net.listen(ipv6, 50);
        int port = server.getLocalPort();
        Socket client = net.connect(ipv6, port);
        InetSocketAddress clientAddress = (InetSocketAddress) client.getLocalSocketAddress();

        SocketSnapshot snapshot = awaitSnapshot("queued IPv6 child", s -> queuedIn(s, port, TcpState.ESTABLISHED) == 1);

        Listener listener = snapshot.listener(port).orElseThrow();
        assertThat(listener.local().getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(ipv6);
        TcpSocket child = listener.queued().get(0);
        assertThat(child.family()).isEqualTo(StandardProtocolFamily.INET6);
        assertThat(child.local()).isEqualTo(new InetSocketAddress(ipv6, port));
        assertThat(child.remote()).isEqualTo(clientAddress);
        assertThat(child.owner()).isEqualTo(Owner.ACCEPT_QUEUE);
        assertThat(child.toString()).contains("[::1]:" + port);
    }

    @Test
    @DisplayName("matches IPv4 clients of a dual-stack wildcard listener, normalising mapped addresses")
    void dualStackListener() {
        ServerSocket server = net.listen(null, 50);
        int port = server.getLocalPort();
        net.connect(Loopback.IPV4, port);

        SocketSnapshot snapshot = awaitSnapshot("queued IPv4 child", s -> queuedIn(s, port, TcpState.ESTABLISHED) == 1);

        Listener listener = snapshot.listener(port).orElseThrow();
        assertThat(listener.socket().family()).isEqualTo(StandardProtocolFamily.INET6);
        assertThat(listener.local().getAddress().isAnyLocalAddress()).isTrue();
        TcpSocket child = listener.queued().get(0);
        assertThat(child.family()).as("an IPv4 client of an IPv6 socket is a mapped row of tcp6").isEqualTo(StandardProtocolFamily.INET6);
        assertThat(child.local().getAddress()).as("normalised").isInstanceOf(Inet4Address.class).isEqualTo(Loopback.IPV4);
        assertThat(listener.acceptQueueDepth()).isEqualTo(1);
    }

    @Test
    @DisplayName("reads IPv4-only sockets from /proc/net/tcp")
    void ipv4OnlyListener() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress(Loopback.IPV4, 0), 10);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            net.connect(port);

            SocketSnapshot snapshot = awaitSnapshot("queued child", s -> queuedIn(s, port, TcpState.ESTABLISHED) == 1);

            Listener listener = snapshot.listener(port).orElseThrow();
            assertThat(listener.socket().family()).isEqualTo(StandardProtocolFamily.INET);
            assertThat(listener.queued()).singleElement()
                    .satisfies(child -> assertThat(child.family()).isEqualTo(StandardProtocolFamily.INET));
        }
    }

    @Test
    @DisplayName("leaves TIME-WAIT after an active close as an orphan, not as this process's")
    void timeWaitIsOrphan() {
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());
        Socket accepted = net.accept(server);
        InetSocketAddress serverEnd = (InetSocketAddress) accepted.getLocalSocketAddress();
        InetSocketAddress clientEnd = (InetSocketAddress) accepted.getRemoteSocketAddress();
        Loopback.close(accepted);
        awaitSnapshot("client in CLOSE-WAIT", s -> stateOf(s, clientEnd, serverEnd).equals(Optional.of(TcpState.CLOSE_WAIT)));
        Loopback.close(client);

        SocketSnapshot snapshot = awaitSnapshot("server end in TIME-WAIT",
                s -> stateOf(s, serverEnd, clientEnd).equals(Optional.of(TcpState.TIME_WAIT)));

        TcpSocket timeWait = only(snapshot, serverEnd, clientEnd);
        assertThat(timeWait.owner()).isEqualTo(Owner.ORPHAN);
        assertThat(timeWait.inode()).isZero();
        assertThat(snapshot.own()).doesNotContain(timeWait);
    }

    @Test
    @DisplayName("tells opened from closed sockets between two snapshots")
    void diffOpenedAndClosed() {
        ServerSocket server = net.listen();
        InetSocketAddress serverEnd = (InetSocketAddress) server.getLocalSocketAddress();
        Socket closedLater = net.connect(server.getLocalPort());
        // Each client by its whole 4-tuple: other processes' connections open and close meanwhile, some of them
        // from the same local port number (an ephemeral port is unique per destination only).
        Predicate<TcpSocket> closedEnd = Loopback.endOf(closedLater);
        SocketSnapshot before = Sockets.snapshot();

        Loopback.close(closedLater);
        Socket openedLater = net.connect(server.getLocalPort());
        SocketDiff diff = Sockets.snapshot().since(before);

        assertThat(diff.opened()).filteredOn(Loopback.endOf(openedLater)).singleElement()
                .satisfies(t -> assertThat(t.owner()).isEqualTo(Owner.THIS_PROCESS));
        assertThat(diff.opened()).noneMatch(closedEnd);
        // The closed client's socket lives on in FIN-WAIT-2: the same socket, so not "closed" yet.
        assertThat(diff.closed()).noneMatch(closedEnd);
        // Other processes' connections come and go meanwhile (a 4-tuple in TIME-WAIT reused by a new connection is a
        // real reuse): only this test's listener is quiet.
        assertThat(diff.reused()).filteredOn(reuse -> reuse.local().equals(serverEnd) || reuse.remote().equals(serverEnd))
                .isEmpty();
    }

    private static int queuedIn(SocketSnapshot snapshot, int port, TcpState state) {
        return snapshot.listener(port)
                .map(l -> (int) l.queued().stream().filter(t -> t.state() == state).count())
                .orElse(0);
    }

    private static Optional<TcpState> stateOf(SocketSnapshot snapshot, InetSocketAddress local, InetSocketAddress remote) {
        return snapshot.all().stream()
                .filter(t -> t.local().equals(local) && t.remote().equals(remote))
                .map(TcpSocket::state)
                .findFirst();
    }

    private static TcpSocket only(SocketSnapshot snapshot, InetSocketAddress local, InetSocketAddress remote) {
        List<TcpSocket> matches = snapshot.all().stream()
                .filter(t -> t.local().equals(local) && t.remote().equals(remote))
                .collect(Collectors.toList());
        assertThat(matches).as("sockets %s -> %s in%n%s", local, remote, snapshot).hasSize(1);
        return matches.get(0);
    }
}
