package io.github.sockleak.internal.netlink;

import static io.github.sockleak.testing.NetlinkAvailability.assumeNetlinkExpected;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketTable;
import io.github.sockleak.testing.Loopback;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The own-socket read on real listeners: it walks the namespace for a listener's queued connections only when the
 * queue may differ from what the last read found, and then once for every port that needs it. Walks are counted at
 * the system call: each dump request the read sends to the kernel.
 */
class QueuedChildrenTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Loopback net = new Loopback();
    private final AtomicInteger walks = new AtomicInteger();
    private NetlinkOwnSocketSource source;

    @BeforeEach
    void netlinkOnly() {
        assumeNetlinkExpected();
        source = newSource();
    }

    private NetlinkOwnSocketSource newSource() {
        Supplier<LibC> linked = NetlinkSupport.linked(Runtime.version().feature());
        return new NetlinkOwnSocketSource(ProcfsSocketSource.system(), () -> new WalkCounting(linked.get(), walks));
    }

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("a queue that still holds what the last walk found is read by lookups alone")
    void unchangedQueueTakesNoWalk() {
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());

        readUntil(queued(client));
        int walksBefore = walks.get();
        SocketTable again = source.read(Set.of());

        assertThat(again.rows()).anyMatch(queued(client));
        assertThat(walks.get() - walksBefore).as("walks of the second read").isZero();
    }

    @Test
    @DisplayName("a child accepted and another queued behind the same depth is found by a walk")
    void sameDepthOtherChild() {
        ServerSocket server = net.listen();
        Socket first = net.connect(server.getLocalPort());
        readUntil(queued(first));

        net.accept(server);
        Socket second = net.connect(server.getLocalPort());
        int walksBefore = walks.get();
        SocketTable table = readUntil(queued(second));

        assertThat(walks.get() - walksBefore).as("walks").isPositive();
        assertThat(table.rows()).noneMatch(queued(first));
        assertThat(table.rows()).filteredOn(serverEndOf(first)).singleElement()
                .satisfies(accepted -> assertThat(accepted.inode()).isNotZero());
        walksBefore = walks.get();
        assertThat(source.read(Set.of()).rows()).anyMatch(queued(second));
        assertThat(walks.get() - walksBefore).as("walks of the read after").isZero();
    }

    @Test
    @DisplayName("the ports of several queues and a watched port share one walk")
    void onePortsWalk() {
        ServerSocket one = net.listen();
        ServerSocket two = net.listen();
        ServerSocket watched = net.listen();
        Socket toOne = net.connect(one.getLocalPort());
        Socket toTwo = net.connect(two.getLocalPort());
        Socket toWatched = net.connect(watched.getLocalPort());

        readUntil(queued(toOne), queued(toTwo), queued(toWatched));
        source = newSource(); // remembers no queue: each needs the walk
        int walksBefore = walks.get();
        SocketTable table = source.read(Set.of(watched.getLocalPort()));

        assertThat(walks.get() - walksBefore).as("walks").isEqualTo(1);
        assertThat(table.rows()).anyMatch(queued(toOne)).anyMatch(queued(toTwo)).anyMatch(queued(toWatched))
                .anyMatch(clientEnd(toWatched));
    }

    /** Reads until each of {@code rows} matches a row: the server's end of a loopback handshake may lag its client's. */
    @SafeVarargs
    private SocketTable readUntil(Predicate<RawSocketRow>... rows) {
        Polling.Result<SocketTable> result = Polling.until(() -> source.read(Set.of()),
                table -> Arrays.stream(rows).allMatch(row -> table.rows().stream().anyMatch(row)), PATIENCE);
        assertThat(result.satisfied()).as("a read with the row wanted within %s; last: %s", PATIENCE, result.value().rows())
                .isTrue();
        return result.value();
    }

    /** The server's end of {@code client}'s connection, still queued: no descriptor holds it. */
    private static Predicate<RawSocketRow> queued(Socket client) {
        return serverEndOf(client).and(row -> row.inode() == 0
                && (row.state() == TcpState.ESTABLISHED || row.state() == TcpState.CLOSE_WAIT));
    }

    /** The server's end of {@code client}'s connection: its whole 4-tuple. */
    private static Predicate<RawSocketRow> serverEndOf(Socket client) {
        return fourTuple(Loopback.remoteEnd(client), Loopback.localEnd(client));
    }

    /** The client's own end: some rows of a watched port are held by this process, from the other side. */
    private static Predicate<RawSocketRow> clientEnd(Socket client) {
        return fourTuple(Loopback.localEnd(client), Loopback.remoteEnd(client));
    }

    private static Predicate<RawSocketRow> fourTuple(InetSocketAddress local, InetSocketAddress remote) {
        return row -> Addresses.normalise(row.local()).equals(local.getAddress()) && row.localPort() == local.getPort()
                && Addresses.normalise(row.remote()).equals(remote.getAddress()) && row.remotePort() == remote.getPort();
    }

    /**
     * The C library, counting the walks of the kernel's tables asked for: a legacy dump request walks them for both
     * families, a per-family one (sent in pairs where the kernel refuses the legacy one) for its family.
     */
    private static final class WalkCounting extends ForwardingLibC {
        private final AtomicInteger walks;

        WalkCounting(LibC libc, AtomicInteger walks) {
            super(libc);
            this.walks = walks;
        }

        @Override
        public long sendto(int fd, ByteBuffer message, int flags, ByteBuffer address) {
            int at = message.position();
            int type = Short.toUnsignedInt(message.getShort(at + 4));
            boolean dump = (message.getShort(at + 6) & InetDiag.NLM_F_DUMP) == InetDiag.NLM_F_DUMP;
            if (dump && (type == InetDiag.TCPDIAG_GETSOCK || type == InetDiag.SOCK_DIAG_BY_FAMILY
                    && message.get(at + InetDiag.NLMSG_HDRLEN) == InetDiag.AF_INET)) {
                walks.incrementAndGet();
            }
            return super.sendto(fd, message, flags, address);
        }
    }
}
