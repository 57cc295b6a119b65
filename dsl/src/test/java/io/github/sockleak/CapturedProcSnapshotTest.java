package io.github.sockleak;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.testing.FakeProc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole procfs path, source and builder, on the rows and descriptors captured from a real kernel
 * ({@code src/test/resources/proc/captured}, see its README), seen through the capturing process's descriptors.
 */
@DisplayName("A snapshot of a captured /proc")
class CapturedProcSnapshotTest {

    @TempDir
    Path root;
    private FakeProc proc;

    @BeforeAll
    static void capturedOnLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the rows were captured on x86-64: the kernel prints addresses in host byte order, little-endian there");
    }

    @BeforeEach
    void fakeProc() {
        proc = new FakeProc(root);
    }

    @AfterEach
    void removeLinks() {
        proc.close();
    }

    @Test
    @DisplayName("gives every socket its owner")
    void owners() {
        SocketSnapshot snapshot = Sockets.snapshot(new ProcfsSocketSource(proc.allCaptured().root()));

        assertThat(snapshot.source()).isEqualTo(SnapshotSource.PROCFS);
        assertThat(snapshot.skippedRows()).isEmpty();
        assertThat(snapshot.all()).hasSize(32);
        assertThat(snapshot.all().stream().collect(Collectors.groupingBy(TcpSocket::owner, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        Owner.THIS_PROCESS, 21L, Owner.ACCEPT_QUEUE, 7L, Owner.ORPHAN, 2L, Owner.OTHER_PROCESS, 2L));
        assertThat(snapshot.own()).hasSize(28).allSatisfy(t -> assertThat(t.owner().isOwn()).isTrue());

        assertThat(only(snapshot, "127.1.2.3:44809", "127.0.0.1:53137"))
                .as("the closed client, orphaned in FIN-WAIT-2")
                .extracting(TcpSocket::state, TcpSocket::owner, TcpSocket::inode)
                .containsExactly(TcpState.FIN_WAIT2, Owner.ORPHAN, 0L);
        assertThat(only(snapshot, "127.0.0.1:46663", "127.0.0.1:37146"))
                .extracting(TcpSocket::state, TcpSocket::owner)
                .containsExactly(TcpState.TIME_WAIT, Owner.ORPHAN);
        assertThat(only(snapshot, "127.0.0.1:37225", "0.0.0.0:0"))
                .as("another process's listener: its inode is on none of our descriptors")
                .extracting(TcpSocket::state, TcpSocket::owner, TcpSocket::inode, TcpSocket::uid)
                .containsExactly(TcpState.LISTEN, Owner.OTHER_PROCESS, 46073L, 65534);
        assertThat(only(snapshot, "127.0.0.1:37225", "127.0.0.1:34312"))
                .as("queued on another process's listener")
                .extracting(TcpSocket::state, TcpSocket::owner, TcpSocket::inode)
                .containsExactly(TcpState.ESTABLISHED, Owner.OTHER_PROCESS, 0L);
        assertThat(only(snapshot, "127.0.0.1:34312", "127.0.0.1:37225").owner()).isEqualTo(Owner.THIS_PROCESS);
        assertThat(only(snapshot, "127.0.0.1:46980", "127.0.0.1:32857"))
                .extracting(TcpSocket::state, TcpSocket::owner, TcpSocket::sendQ)
                .containsExactly(TcpState.SYN_SENT, Owner.THIS_PROCESS, 1L);
        assertThat(only(snapshot, "127.0.0.1:52677", "127.0.0.1:59312"))
                .as("a handshake for our listener")
                .extracting(TcpSocket::state, TcpSocket::owner)
                .containsExactly(TcpState.SYN_RECV, Owner.ACCEPT_QUEUE);
        assertThat(only(snapshot, "127.0.0.1:46663", "127.0.0.1:37140"))
                .extracting(TcpSocket::owner, TcpSocket::recvQ, TcpSocket::sendQ, TcpSocket::inode)
                .containsExactly(Owner.THIS_PROCESS, 100L, 24576L, 55927L);
    }

    @Test
    @DisplayName("gives each of our listeners the children in its accept queue, IPv4, IPv6 and mapped")
    void listeners() {
        SocketSnapshot snapshot = Sockets.snapshot(new ProcfsSocketSource(proc.allCaptured().root()));

        assertThat(snapshot.listeners()).extracting(Listener::port)
                .containsExactly(32857, 37989, 42105, 46663, 52677, 53137, 60501);
        assertThat(snapshot.listeners()).allSatisfy(l -> {
            assertThat(l.socket().owner()).isEqualTo(Owner.THIS_PROCESS);
            assertThat(l.backlog()).isEmpty();
            assertThat(l.ghosts()).as("every child the kernel counts is visible in %s", l).isZero();
            assertThat(l.queued()).allSatisfy(child -> {
                assertThat(child.owner()).isEqualTo(Owner.ACCEPT_QUEUE);
                assertThat(child.inode()).isZero();
                assertThat(child.local()).isEqualTo(l.local().getAddress().isAnyLocalAddress()
                        ? endpoint("127.0.0.1:" + l.port()) : l.local());
            });
        });
        Map<Integer, Listener> byPort = snapshot.listeners().stream().collect(Collectors.toMap(Listener::port, Function.identity()));

        assertThat(byPort.get(53137).acceptQueueDepth()).isEqualTo(2);
        assertThat(byPort.get(53137).queued())
                .extracting(t -> t.remote(), TcpSocket::state, TcpSocket::recvQ)
                .containsExactlyInAnyOrder(
                        tuple(endpoint("127.0.0.1:43728"), TcpState.ESTABLISHED, 5L),
                        tuple(endpoint("127.1.2.3:44809"), TcpState.CLOSE_WAIT, 1L));
        assertThat(byPort.get(46663).queued()).as("it accepts").isEmpty();
        assertThat(byPort.get(46663).local()).isEqualTo(endpoint("0.0.0.0:46663"));
        assertThat(byPort.get(52677).queued()).as("a SYN-RECV request is not in the accept queue yet").isEmpty();
        assertThat(remotesOf(byPort.get(32857))).containsExactly(endpoint("127.0.0.1:46976"));
        assertThat(remotesOf(byPort.get(42105))).containsExactly(endpoint("[::1]:45490"));
        assertThat(byPort.get(42105).local()).isEqualTo(endpoint("[::1]:42105"));
        assertThat(remotesOf(byPort.get(37989))).containsExactly(endpoint("127.0.0.1:47734"));
        assertThat(byPort.get(37989).local()).as("::ffff:127.0.0.1, normalised").isEqualTo(endpoint("127.0.0.1:37989"));
        assertThat(byPort.get(37989).socket().family()).isEqualTo(StandardProtocolFamily.INET6);
        Listener dualStack = byPort.get(60501);
        assertThat(dualStack.socket().family()).isEqualTo(StandardProtocolFamily.INET6);
        assertThat(dualStack.local().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(dualStack.queued()).singleElement().satisfies(child -> {
            assertThat(child.family()).as("an IPv4 client's child of an IPv6 listener is in tcp6").isEqualTo(StandardProtocolFamily.INET6);
            assertThat(child.remote()).isEqualTo(endpoint("127.0.0.1:33394"));
        });
    }

    @Test
    @DisplayName("keeps the other sockets when rows are malformed or cut short, and lists those rows")
    void skippedRows() {
        String tcp = FakeProc.capturedText("net/tcp").replace(" 0100007F:911A 06 ", " 0100007F:911A 1F ")
                + "  27: 0100007F:E7B0 0100007F:CDC5 01 00000000:00000000 00:00000000 00000000     0        0 559";
        proc.tcp(tcp.getBytes(US_ASCII)).tcp6(FakeProc.captured("net/tcp6")).capturedFds();

        SocketSnapshot snapshot = Sockets.snapshot(new ProcfsSocketSource(root));

        assertThat(snapshot.skippedRows()).satisfiesExactly(
                s -> assertThat(s).startsWith(root.resolve("net/tcp") + " line 21: unknown state 0x1F"),
                s -> assertThat(s).startsWith(root.resolve("net/tcp") + " line 23: truncated (no newline at the end)"));
        assertThat(snapshot.all()).hasSize(31)
                .noneMatch(t -> t.state() == TcpState.TIME_WAIT)
                .noneMatch(t -> t.inode() == 559);
        assertThat(snapshot.listener(53137)).hasValueSatisfying(l -> assertThat(l.queued()).hasSize(2));
        assertThat(snapshot.listeners()).hasSize(7);
    }

    @Test
    @DisplayName("leaves children queued on a listener we do not hold to its owner")
    void listenerNotOurs() {
        proc.tcp(FakeProc.captured("net/tcp")).tcp6(FakeProc.captured("net/tcp6"));
        for (String line : FakeProc.capturedText("self-fd.txt").split("\n")) {
            String[] link = line.split(" -> ");
            if (!link[1].equals("socket:[55920]")) {
                proc.fd(Integer.parseInt(link[0]), link[1]);
            }
        }

        SocketSnapshot snapshot = Sockets.snapshot(new ProcfsSocketSource(root));

        assertThat(snapshot.listener(53137)).isEmpty();
        assertThat(snapshot.all()).filteredOn(t -> t.local().getPort() == 53137)
                .extracting(TcpSocket::state, TcpSocket::owner)
                .containsExactlyInAnyOrder(
                        tuple(TcpState.LISTEN, Owner.OTHER_PROCESS),
                        tuple(TcpState.ESTABLISHED, Owner.OTHER_PROCESS),
                        tuple(TcpState.CLOSE_WAIT, Owner.OTHER_PROCESS));
    }

    private static List<InetSocketAddress> remotesOf(Listener listener) {
        return listener.queued().stream().map(TcpSocket::remote).collect(Collectors.toList());
    }

    private static TcpSocket only(SocketSnapshot snapshot, String local, String remote) {
        List<TcpSocket> matches = snapshot.all().stream()
                .filter(t -> t.local().equals(endpoint(local)) && t.remote().equals(endpoint(remote)))
                .collect(Collectors.toList());
        assertThat(matches).as("sockets %s -> %s in%n%s", local, remote, snapshot).hasSize(1);
        return matches.get(0);
    }

    /** {@code 127.0.0.1:80} or {@code [::1]:80}, without any name lookup. */
    private static InetSocketAddress endpoint(String text) {
        int colon = text.lastIndexOf(':');
        try {
            InetAddress address = InetAddress.getByName(text.substring(0, colon).replace("[", "").replace("]", ""));
            return new InetSocketAddress(address, Integer.parseInt(text.substring(colon + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
