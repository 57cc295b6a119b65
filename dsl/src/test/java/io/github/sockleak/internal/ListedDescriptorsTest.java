package io.github.sockleak.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.testing.Loopback;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The descriptors a snapshot listed, handed to the work that took it")
class ListedDescriptorsTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("a real snapshot's listing holds every socket descriptor held throughout, of every kind")
    void aSnapshotsListing() throws Exception {
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());
        net.accept(server);
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(Loopback.IPV4, 0))) {
            Set<Long> before = ProcfsSocketSource.system().ownSocketInodes();
            ListedDescriptors.Listed<SocketSnapshot> listed = ListedDescriptors.during(() -> Sockets.ownSnapshot(Set.of()));
            Set<Long> throughout = new HashSet<>(before);
            throughout.retainAll(ProcfsSocketSource.system().ownSocketInodes());

            TcpSocket clientEnd = listed.value().own().stream().filter(Loopback.endOf(client)).findFirst().orElseThrow();
            assertThat(listed.socketInodes()).get()
                    .satisfies(inodes -> assertThat(inodes).containsAll(throughout).contains(clientEnd.inode()));
            assertThat(throughout).as("the UDP socket's and the connection's descriptors").hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    @DisplayName("the last listing of the work is kept; none is kept for work that listed nothing, before or after")
    void onlyDuringTheWork() {
        ListedDescriptors.seen(new long[] {1}); // outside any work: nobody asked
        assertThat(ListedDescriptors.during(() -> "nothing listed").socketInodes()).isEmpty();

        ListedDescriptors.Listed<String> twice = ListedDescriptors.during(() -> {
            ListedDescriptors.seen(new long[] {2});
            ListedDescriptors.seen(new long[] {3, 4});
            return "listed twice";
        });
        assertThat(twice.value()).isEqualTo("listed twice");
        assertThat(twice.socketInodes()).contains(Set.of(3L, 4L));

        assertThat(ListedDescriptors.during(() -> "nothing listed").socketInodes()).isEmpty();
    }

    @Test
    @DisplayName("work within work keeps its own listing, and the outer work's stays its own")
    void nested() {
        ListedDescriptors.Listed<Optional<Set<Long>>> outer = ListedDescriptors.during(() -> {
            ListedDescriptors.seen(new long[] {1});
            Optional<Set<Long>> inner = ListedDescriptors.during(() -> {
                ListedDescriptors.seen(new long[] {2});
                return "inner";
            }).socketInodes();
            return inner;
        });
        assertThat(outer.value()).contains(Set.of(2L));
        assertThat(outer.socketInodes()).contains(Set.of(1L));
    }

    @Test
    @DisplayName("work that fails keeps nothing on the thread, and its failure is the caller's")
    void failedWork() {
        IllegalStateException failure = new IllegalStateException("the work's own failure");
        assertThatThrownBy(() -> ListedDescriptors.during(() -> {
            ListedDescriptors.seen(new long[] {1});
            throw failure;
        })).isSameAs(failure);
        ListedDescriptors.seen(new long[] {2});
        assertThat(ListedDescriptors.during(() -> "nothing listed").socketInodes()).isEmpty();
    }
}
