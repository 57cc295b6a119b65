package io.github.sockleak.junit.internal;

import io.github.sockleak.Owner;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.netlink.NetlinkSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * This process's socket descriptors, and which of them are known never to listen. A socket the table showed in a
 * connection state (anything but LISTEN) can never listen, nor can a socket of another kind (a Unix domain socket
 * inherited from the shell, a netlink or UDP socket): a process holding only such sockets holds no listener, which a
 * check can know from its descriptors alone, without reading a table.
 */
final class SocketDescriptors {

    /** Where the kernel lists sockets of other kinds, and the column that holds the inode in each. */
    private static final Map<String, Integer> OTHER_KINDS = Map.of(
            "/proc/net/unix", 6, "/proc/net/netlink", 9, "/proc/net/udp", 9, "/proc/net/udp6", 9);

    /** Inodes of this process's sockets known never to listen; kept only while still held. */
    private static final Set<Long> NEVER_LISTEN = ConcurrentHashMap.newKeySet();

    private SocketDescriptors() {
    }

    /**
     * The inodes of this process's socket descriptors now (of every kind: the links do not say which); where netlink
     * can be used, asked of each descriptor with {@code statx}, faster than reading its link.
     */
    static Set<Long> now() {
        NetlinkSupport.Availability netlink = NetlinkSupport.availability();
        return netlink.isAvailable() ? netlink.ownSource().socketInodes() : ProcfsSocketSource.system().ownSocketInodes();
    }

    /** Whether every one of {@code inodes} is known never to listen, so that none is a listener. */
    static boolean holdNoListener(Set<Long> inodes) {
        NEVER_LISTEN.retainAll(inodes); // a socket no longer held need not be remembered
        return NEVER_LISTEN.containsAll(inodes);
    }

    /**
     * Remembers the sockets of this process that {@code snapshot} shows as connections, and those it does not show
     * that another table lists as another kind. A TCP socket in no table (bound, not yet listening) stays unknown.
     */
    static void learn(SocketSnapshot snapshot) {
        Set<Long> unknown = new HashSet<>(now());
        for (TcpSocket socket : snapshot.own()) {
            unknown.remove(socket.inode());
            if (socket.owner() == Owner.THIS_PROCESS && socket.state() != TcpState.LISTEN) {
                NEVER_LISTEN.add(socket.inode());
            }
        }
        unknown.removeAll(NEVER_LISTEN);
        if (!unknown.isEmpty()) {
            OTHER_KINDS.forEach((table, column) -> NEVER_LISTEN.addAll(listedIn(table, column, unknown)));
        }
    }

    /** Which of {@code wanted} the table lists in its inode column; none when it cannot be read. */
    private static Set<Long> listedIn(String table, int column, Set<Long> wanted) {
        Set<Long> found = new HashSet<>();
        try (Stream<String> lines = Files.lines(Path.of(table), StandardCharsets.US_ASCII)) {
            lines.skip(1).map(line -> line.trim().split("\\s+")).filter(columns -> columns.length > column).forEach(columns -> {
                try {
                    long inode = Long.parseLong(columns[column]);
                    if (wanted.contains(inode)) {
                        found.add(inode);
                    }
                } catch (NumberFormatException notAnInode) {
                    // not a row of the kind expected: it proves nothing, and the socket stays unknown
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return Set.of(); // a socket left unknown only costs the next check a table
        }
        return found;
    }
}
