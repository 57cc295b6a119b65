package io.github.sockleak;

import static io.github.sockleak.testing.Loopback.awaitSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.SsCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code ss} asks the kernel over netlink; the snapshot reads netlink or {@code /proc}. On a quiet set of loopback
 * sockets on ports this test owns, both must print the same table, Send-Q of listeners included where the snapshot
 * knows it; on {@code /proc}, which cannot, the snapshot prints {@code ?} there. The {@code ss} run is bracketed by two snapshots that
 * must agree, so the three saw the same moment.
 */
@DisplayName("A snapshot agrees field by field with ss -tan taken at the same moment")
class SsComparisonTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final int QUIET_BACKLOG = 7;
    private static final int IPV4_BACKLOG = 9;
    private static final int IPV6_BACKLOG = 5;
    private static final int DUAL_STACK_BACKLOG = 4;

    private final Loopback net = new Loopback();
    private final List<AutoCloseable> channels = new ArrayList<>();

    @AfterEach
    void closeSockets() throws Exception {
        for (AutoCloseable channel : channels) {
            channel.close();
        }
        net.close();
    }

    @Test
    @DisplayName("state, Recv-Q, Send-Q, addresses, inode and uid of every socket on the test's ports")
    void sameTableAsSs() throws Exception {
        Path ss = SsCommand.find().orElse(null);
        assumeTrue(ss != null, "ss (iproute2) is not installed: there is nothing to compare the snapshot with");

        // A listener that never accepts: an ESTABLISHED child with unread bytes, and a CLOSE-WAIT child whose
        // client closed and lingers as an orphaned FIN-WAIT-2. Java's sockets are dual-stack: mapped rows in tcp6.
        ServerSocket quiet = net.listen(Loopback.IPV4, QUIET_BACKLOG);
        int quietPort = quiet.getLocalPort();
        Socket queued = net.connect(quietPort);
        queued.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        Socket closed = net.connect(quietPort);
        int closedPort = closed.getLocalPort();
        Loopback.close(closed);

        // IPv4-only sockets in tcp: an accepted pair with bytes queued both ways (the server end's window is
        // full, so its Send-Q stays put), and a TIME-WAIT from a pair whose server end closed first.
        ServerSocketChannel ipv4 = track(ServerSocketChannel.open(StandardProtocolFamily.INET));
        ipv4.bind(new InetSocketAddress(Loopback.IPV4, 0), IPV4_BACKLOG);
        int ipv4Port = ((InetSocketAddress) ipv4.getLocalAddress()).getPort();
        SocketChannel reader = track(SocketChannel.open(StandardProtocolFamily.INET));
        reader.setOption(StandardSocketOptions.SO_RCVBUF, 8192);
        reader.connect(ipv4.getLocalAddress());
        SocketChannel writer = accept(ipv4);
        reader.write(ByteBuffer.wrap(new byte[100]));
        writer.setOption(StandardSocketOptions.SO_SNDBUF, 16384);
        writer.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        while (writer.write(chunk.clear()) > 0) {
            // fill the peer's window and our send buffer
        }
        int readerPort = ((InetSocketAddress) reader.getLocalAddress()).getPort();
        SocketChannel timeWaitClient = track(SocketChannel.open(StandardProtocolFamily.INET));
        timeWaitClient.connect(ipv4.getLocalAddress());
        int timeWaitPort = ((InetSocketAddress) timeWaitClient.getLocalAddress()).getPort();
        accept(ipv4).close();
        awaitSnapshot("the TIME-WAIT pair's client in CLOSE-WAIT",
                s -> has(s, TcpState.CLOSE_WAIT, timeWaitPort, ipv4Port));
        timeWaitClient.close();

        // IPv6 ::1: one accepted pair, one child left queued.
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        ServerSocket ipv6 = net.listen(ipv6Loopback, IPV6_BACKLOG);
        int ipv6Port = ipv6.getLocalPort();
        net.connect(ipv6Loopback, ipv6Port);
        Socket ipv6Queued = net.connect(ipv6Loopback, ipv6Port);
        net.accept(ipv6);

        // A dual-stack wildcard listener with an IPv4-only client: the client in tcp, its child mapped in tcp6.
        ServerSocket dualStack = net.listen(null, DUAL_STACK_BACKLOG);
        int dualStackPort = dualStack.getLocalPort();
        SocketChannel ipv4Client = track(SocketChannel.open(StandardProtocolFamily.INET));
        ipv4Client.connect(new InetSocketAddress(Loopback.IPV4, dualStackPort));

        Set<Integer> ports = Set.of(quietPort, ipv4Port, ipv6Port, dualStackPort);
        // The sockets compared are those with an end on one of the test's listeners' endpoints, on both sides: by
        // port alone, other processes' sockets would come in (the same port number on another address), and
        // with them rows that change while the three readings are taken.
        Set<String> ends = Set.of(Row.endpoint(Loopback.IPV4, quietPort), Row.endpoint(Loopback.IPV4, ipv4Port),
                Row.endpoint(ipv6Loopback, ipv6Port), Row.endpoint(InetAddress.getByName("::"), dualStackPort),
                Row.endpoint(Loopback.IPV4, dualStackPort));
        awaitSnapshot("every socket in its final state", s ->
                has(s, TcpState.CLOSE_WAIT, quietPort, closedPort)
                        && has(s, TcpState.FIN_WAIT2, closedPort, quietPort)
                        && has(s, TcpState.TIME_WAIT, ipv4Port, timeWaitPort)
                        && !has(s, TcpState.LAST_ACK, timeWaitPort, ipv4Port)
                        && s.listener(quietPort).map(l -> l.queued().size() == 2).orElse(false)
                        && s.listener(ipv6Port).map(l -> l.queued().size() == 1).orElse(false)
                        && s.listener(dualStackPort).map(l -> l.queued().size() == 1).orElse(false));

        Polling.Result<Bracket> result = Polling.until(() -> bracket(ss, ports, ends), Bracket::snapshotsAgree, PATIENCE);
        Bracket moment = result.value();
        assertThat(result.satisfied())
                .as("the sockets kept changing for %s; last snapshots:%n%s%nand%n%s", PATIENCE,
                        table(moment.before), table(moment.after))
                .isTrue();

        // Field for field, as printed: where the snapshot cannot know a listener's backlog (/proc) it prints "?".
        boolean backlogKnown = moment.source == SnapshotSource.NETLINK;
        assertThat(table(moment.before))
                .as("the snapshot (actual, %s) against ss -tanHe (expected) on %s", moment.source, ends)
                .isEqualTo(table(backlogKnown ? moment.ss : unknownBacklogs(moment.ss)));
        for (Row listener : moment.ss) {
            if (listener.state.equals("LISTEN")) {
                int port = port(listener.local);
                int backlog = port == quietPort ? QUIET_BACKLOG : port == ipv4Port ? IPV4_BACKLOG
                        : port == ipv6Port ? IPV6_BACKLOG : DUAL_STACK_BACKLOG;
                assertThat(listener.sendQ).as("ss's Send-Q of a listener is its backlog: %s", listener)
                        .isEqualTo(Integer.toString(backlog));
            }
        }

        // The comparison is only worth something if the sockets this test made are in it, as made.
        String quietEnd = "127.0.0.1:" + quietPort;
        assertThat(moment.ss).extracting(Row::withoutIdentity).contains(
                "LISTEN 2 " + QUIET_BACKLOG + " " + quietEnd + " *:0",
                "ESTAB 5 0 " + quietEnd + " 127.0.0.1:" + queued.getLocalPort(),
                "CLOSE-WAIT 1 0 " + quietEnd + " 127.0.0.1:" + closedPort,
                "FIN-WAIT-2 0 0 127.0.0.1:" + closedPort + " " + quietEnd,
                "TIME-WAIT 0 0 127.0.0.1:" + ipv4Port + " 127.0.0.1:" + timeWaitPort,
                "LISTEN 1 " + IPV6_BACKLOG + " [0:0:0:0:0:0:0:1]:" + ipv6Port + " *:0",
                "ESTAB 0 0 [0:0:0:0:0:0:0:1]:" + ipv6Port + " [0:0:0:0:0:0:0:1]:" + ipv6Queued.getLocalPort(),
                "LISTEN 1 " + DUAL_STACK_BACKLOG + " *:" + dualStackPort + " *:0",
                "ESTAB 0 0 127.0.0.1:" + dualStackPort + " 127.0.0.1:" + ((InetSocketAddress) ipv4Client.getLocalAddress()).getPort());
        Row writerRow = moment.ss.stream().filter(r -> r.local.equals("127.0.0.1:" + ipv4Port) && r.peer.equals("127.0.0.1:" + readerPort))
                .findFirst().orElseThrow();
        assertThat(writerRow.recvQ).isEqualTo(100);
        assertThat(Long.parseLong(writerRow.sendQ)).as("bytes the full window holds back").isPositive();
        assertThat(moment.ss).filteredOn(r -> r.state.equals("CLOSE-WAIT") || r.state.equals("TIME-WAIT") || r.state.equals("FIN-WAIT-2"))
                .allSatisfy(r -> assertThat(r.inode).isZero());
        assertThat(moment.ss).filteredOn(r -> r.state.equals("LISTEN")).allSatisfy(r -> assertThat(r.inode).isPositive());
    }

    /**
     * Snapshot, {@code ss}, snapshot: the sockets with an end in {@code ends} as each saw them. {@code ss} is asked
     * for the sockets on {@code ports}, the kernel's filter, and its rows are then narrowed to {@code ends} too.
     */
    private Bracket bracket(Path ss, Set<Integer> ports, Set<String> ends) {
        SocketSnapshot first = Sockets.snapshot();
        List<Row> before = rows(first, ends);
        List<Row> fromSs = runSs(ss, ports).stream().filter(row -> row.hasEndIn(ends)).collect(Collectors.toList());
        List<Row> after = rows(Sockets.snapshot(), ends);
        return new Bracket(first.source(), before, fromSs, after);
    }

    private static final class Bracket {
        final SnapshotSource source;
        final List<Row> before;
        final List<Row> ss;
        final List<Row> after;

        Bracket(SnapshotSource source, List<Row> before, List<Row> ss, List<Row> after) {
            this.source = source;
            this.before = before;
            this.ss = ss;
            this.after = after;
        }

        boolean snapshotsAgree() {
            return table(before).equals(table(after));
        }
    }

    private static List<Row> rows(SocketSnapshot snapshot, Set<String> ends) {
        return snapshot.all().stream()
                .map(Row::of)
                .filter(row -> row.hasEndIn(ends))
                .collect(Collectors.toList());
    }

    private List<Row> runSs(Path ss, Set<Integer> ports) {
        String filter = ports.stream().sorted().map(p -> "sport = :" + p + " or dport = :" + p)
                .collect(Collectors.joining(" or ", "( ", " )"));
        return SsCommand.tanHe(ss, filter).stream().map(Row::parseSs).collect(Collectors.toList());
    }

    /** The ss rows with each listener's Send-Q (its backlog) as a source that cannot see the backlog prints it. */
    static List<Row> unknownBacklogs(List<Row> rows) {
        return rows.stream().map(row -> row.state.equals(TcpState.LISTEN.toString()) ? row.withSendQ("?") : row)
                .collect(Collectors.toList());
    }

    /**
     * One socket as both sides print it. Addresses are normalised the same way on both: IPv4-mapped to IPv4, any
     * wildcard ({@code *}, {@code 0.0.0.0}, {@code [::]}) to {@code *}, a {@code *} port to 0. Send-Q is the text
     * printed: for a listener, its backlog, or {@code ?} where the snapshot's source cannot see it.
     */
    static final class Row {
        final String state;
        final long recvQ;
        final String sendQ;
        final String local;
        final String peer;
        final long inode;
        final long uid;

        private Row(String state, long recvQ, String sendQ, String local, String peer, long inode, long uid) {
            this.state = state;
            this.recvQ = recvQ;
            this.sendQ = sendQ;
            this.local = local;
            this.peer = peer;
            this.inode = inode;
            this.uid = uid;
        }

        /** The Send-Q column is taken from the snapshot's own {@code ss}-like line, as a report prints it. */
        static Row of(TcpSocket socket) {
            String printedSendQ = socket.toString().trim().split("\\s+")[2];
            return new Row(socket.state().toString(), socket.recvQ(), printedSendQ,
                    endpoint(socket.local().getAddress(), socket.local().getPort()),
                    endpoint(socket.remote().getAddress(), socket.remote().getPort()),
                    socket.inode(), Integer.toUnsignedLong(socket.uid()));
        }

        /**
         * {@code ESTAB 0 0 [::ffff:127.0.0.1]:40158 [::ffff:127.0.0.1]:53137 uid:1000 ino:55922 sk:1 cgroup:/ <->}, or a
         * line of sockleak's own table ({@code LISTEN 0 ? 127.0.0.1:80 *:* OTHER_PROCESS ino:5}), Send-Q as printed.
         */
        static Row parseSs(String line) {
            String[] columns = line.trim().split("\\s+");
            assertThat(columns.length).as("columns of ss line '%s'", line).isGreaterThanOrEqualTo(5);
            long inode = 0;
            long uid = 0;
            for (String column : Arrays.asList(columns).subList(5, columns.length)) {
                if (column.startsWith("ino:")) {
                    inode = Long.parseLong(column.substring(4));
                } else if (column.startsWith("uid:")) {
                    uid = Long.parseLong(column.substring(4));
                }
            }
            return new Row(columns[0], Long.parseLong(columns[1]), columns[2],
                    ssEndpoint(columns[3]), ssEndpoint(columns[4]), inode, uid);
        }

        Row withSendQ(String printed) {
            return new Row(state, recvQ, printed, local, peer, inode, uid);
        }

        /** For a table that prints no uid (the watch command's). */
        Row withoutUid() {
            return new Row(state, recvQ, sendQ, local, peer, inode, 0);
        }

        /** {@code 127.0.0.1:80}, {@code [::ffff:127.0.0.1]:80}, {@code [::1]:80}, {@code *:80}, {@code 0.0.0.0:*}, {@code [::]:*}. */
        private static String ssEndpoint(String text) {
            int colon = text.lastIndexOf(':');
            String host = text.substring(0, colon);
            String port = text.substring(colon + 1);
            int portNumber = port.equals("*") ? 0 : Integer.parseInt(port);
            if (host.equals("*")) {
                return "*:" + portNumber;
            }
            host = host.replace("[", "").replace("]", "");
            int zone = host.indexOf('%');
            try {
                return endpoint(InetAddress.getByName(zone < 0 ? host : host.substring(0, zone)), portNumber);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("ss printed an address that is not a literal: " + text, e);
            }
        }

        private static String endpoint(InetAddress address, int port) {
            InetAddress normalised = Addresses.normalise(address);
            if (normalised.isAnyLocalAddress()) {
                return "*:" + port;
            }
            String host = normalised.getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        /** Whether its local or its remote end is one of {@code ends}, each as {@link #endpoint} prints it. */
        boolean hasEndIn(Set<String> ends) {
            return ends.contains(local) || ends.contains(peer);
        }

        /** State, queues and addresses: what the test itself knows about a socket it made. */
        String withoutIdentity() {
            return state + " " + recvQ + " " + sendQ + " " + local + " " + peer;
        }

        @Override
        public String toString() {
            return withoutIdentity() + " ino:" + inode + " uid:" + uid;
        }
    }

    /** The rows as lines, sorted, so that two tables compare as text and a failure shows both. */
    static String table(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().collect(Collectors.joining("\n"));
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A socket in {@code state} from {@code 127.0.0.1:localPort} to {@code 127.0.0.1:remotePort}: the whole 4-tuple. */
    private static boolean has(SocketSnapshot snapshot, TcpState state, int localPort, int remotePort) {
        return snapshot.all().stream().anyMatch(t -> t.state() == state
                && Loopback.fourTuple(new InetSocketAddress(Loopback.IPV4, localPort),
                        new InetSocketAddress(Loopback.IPV4, remotePort)).test(t));
    }

    private SocketChannel accept(ServerSocketChannel server) throws IOException {
        server.configureBlocking(false);
        Polling.Result<SocketChannel> accepted = Polling.until(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Objects::nonNull, PATIENCE);
        assertThat(accepted.satisfied()).as("a connection to accept within %s", PATIENCE).isTrue();
        return track(accepted.value());
    }

    private <T extends AutoCloseable> T track(T channel) {
        channels.add(0, channel);
        return channel;
    }

}
