package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.OwnSocketSource;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads what a leak check of this process needs at a cost that grows with this process's sockets, not with the
 * namespace's:
 *
 * <ol>
 *   <li>each socket descriptor in {@code /proc/self/fd} is asked what it is ({@link DescriptorQuery}), and each
 *       TCP one is then asked of the kernel by its 4-tuple, a hash lookup that answers with the same
 *       {@code inet_diag_msg} a dump sends (queues, backlog, inode, uid, cookie), and for a listener its drop
 *       count;</li>
 *   <li>for each listener of ours with connections in its accept queue, one dump filtered by the kernel to the
 *       listener's port and to the states of queued children, which finds the children no descriptor holds yet;</li>
 *   <li>for each watched port, one such dump, every state.</li>
 * </ol>
 *
 * A socket the lookup cannot reach (no peer name in SYN-SENT; a {@code SO_REUSEPORT} sibling answering for it; a
 * descriptor reused meanwhile) is looked for in a dump of its port instead, by inode. The port dumps still walk the
 * kernel's whole hash tables, but build and copy only the matches.
 */
final class NetlinkOwnSocketSource implements OwnSocketSource {

    private final ProcfsSocketSource procfs;
    private final Supplier<LibC> libc;

    /** @param libc opens the C library's calls for one read */
    NetlinkOwnSocketSource(ProcfsSocketSource procfs, Supplier<LibC> libc) {
        this.procfs = procfs;
        this.libc = libc;
    }

    @Override
    public SocketTable read(Set<Integer> watchedPorts) {
        Rows rows = new Rows();
        try (LibC calls = libc.get()) {
            OwnDescriptors own = new OwnDescriptors(calls, procfs);
            Map<Integer, Long> descriptors = own.sockets();
            Set<Long> ownInodes = new HashSet<>(descriptors.values());
            DescriptorQuery query = new DescriptorQuery(calls);
            try (NetlinkChannel channel = NetlinkChannel.open(calls)) {
                Requests requests = new Requests(channel, rows);
                Map<Integer, Set<Long>> unreachedByPort = new LinkedHashMap<>();
                descriptors.forEach((fd, inode) -> query.tcp(fd, inode).ifPresent(socket -> {
                    boolean found = switch (socket.kind()) {
                        case UNLISTED -> true; // in no table: a full dump would not show it either
                        case PEER_UNKNOWN -> false;
                        case CONNECTED, LISTENING -> requests.lookUp(socket);
                    };
                    if (!found) {
                        unreachedByPort.computeIfAbsent(socket.localPort(), port -> new HashSet<>()).add(inode);
                    }
                }));
                // An unreached listener (a SO_REUSEPORT sibling answered for it) gets its drop count here.
                unreachedByPort.forEach((port, inodes) -> requests.dumpPort(port, InetDiag.ALL_STATES,
                        InetDiag.EXT_SKMEMINFO, row -> inodes.contains(row.inode())));
                for (int port : nonEmptyAcceptQueues(rows.list(), ownInodes)) {
                    if (!watchedPorts.contains(port)) {
                        requests.dumpPort(port, InetDiag.QUEUED_CHILD_STATES, InetDiag.NO_EXTENSIONS, row -> true);
                    }
                }
                // Listeners of ours were read above, with their drop counts: rows met again are not added twice.
                for (int port : watchedPorts) {
                    requests.dumpPort(port, InetDiag.ALL_STATES, InetDiag.NO_EXTENSIONS, row -> true);
                }
                if (requests.dumps > 0) {
                    // A child accepted while its port was dumped has a descriptor the first listing did not see.
                    ownInodes.addAll(own.sockets().values());
                }
            }
            return new SocketTable(rows.list(), rows.skipped, ownInodes);
        }
    }

    /** The ports of our listeners whose accept queue holds connections: their children are on no descriptor of ours. */
    private static Set<Integer> nonEmptyAcceptQueues(List<RawSocketRow> rows, Set<Long> ownInodes) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (RawSocketRow row : rows) {
            if (row.state() == TcpState.LISTEN && row.recvQ() > 0 && ownInodes.contains(row.inode())) {
                ports.add(row.localPort());
            }
        }
        return ports;
    }

    /** The sockets read so far, each once: a socket both looked up and met again in a port dump has one cookie. */
    private static final class Rows {
        private final Map<Long, RawSocketRow> byCookie = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();

        void add(RawSocketRow row) {
            byCookie.putIfAbsent(row.cookie().orElseThrow(), row);
        }

        List<RawSocketRow> list() {
            return new ArrayList<>(byCookie.values());
        }
    }

    /** The requests of one read. */
    private static final class Requests {
        private final NetlinkChannel channel;
        private final Rows rows;
        private final InetDiagLookupReply lookupReply;
        private int dumps;

        Requests(NetlinkChannel channel, Rows rows) {
            this.channel = channel;
            this.rows = rows;
            this.lookupReply = new InetDiagLookupReply(rows.skipped);
        }

        /**
         * Asks for the socket by its 4-tuple, a listener with its drop count; false when the kernel's answer is not
         * that socket, or none.
         */
        boolean lookUp(TcpDescriptor socket) {
            int extensions = socket.kind() == TcpDescriptor.Kind.LISTENING ? InetDiag.EXT_SKMEMINFO : InetDiag.NO_EXTENSIONS;
            Optional<RawSocketRow> row = channel.lookup(socket.family(), socket.local(), socket.localPort(), socket.remote(),
                    socket.remotePort(), extensions, lookupReply, "request for the socket on descriptor " + socket.fd());
            if (row.isEmpty() || row.get().inode() != socket.inode()) {
                return false;
            }
            rows.add(row.get());
            return true;
        }

        /** The sockets of both families on {@code port} in {@code states}, those {@code keep} accepts. */
        void dumpPort(int port, int states, int extensions, Predicate<RawSocketRow> keep) {
            dumps++;
            List<RawSocketRow> found = new ArrayList<>();
            channel.dumpPort(port, states, extensions, found, rows.skipped);
            found.stream().filter(keep).forEach(rows::add);
        }
    }
}
