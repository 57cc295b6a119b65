package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.OwnSocketSource;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketTable;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads what a leak check of this process needs at a cost that grows with this process's sockets, not with the
 * namespace's:
 *
 * <ol>
 *   <li>each socket descriptor in {@code /proc/self/fd} is asked what it is ({@link DescriptorQuery}), and each
 *       TCP one is then asked of the kernel by its 4-tuple, a hash lookup that answers with the same
 *       {@code inet_diag_msg} a dump sends (queues, backlog, inode, uid, cookie), and for a listener its drop
 *       count;</li>
 *   <li>for each listener of ours with connections in its accept queue, the children no descriptor holds yet: by
 *       their 4-tuples when the queue provably holds what the last read found ({@link QueuedChildren}), else from a
 *       dump filtered by the kernel to the listener's port;</li>
 *   <li>for each watched port, every socket on it, from that dump.</li>
 * </ol>
 *
 * A socket the lookup cannot reach (no peer name in SYN-SENT; a {@code SO_REUSEPORT} sibling answering for it; a
 * descriptor reused meanwhile) is looked for in the dump of its port, by inode. All the ports that need a dump share
 * one: it walks the kernel's whole hash tables once, however many ports it serves, and builds and copies only the
 * matches.
 */
final class NetlinkOwnSocketSource implements OwnSocketSource {

    /**
     * States worth a port's dump: every one for a watched or unreached socket's port; otherwise the queued ones, and
     * LISTEN, which shows whether another listener shares the port ({@link QueuedChildren#learn}).
     */
    private static final int QUEUE_DUMP_STATES = InetDiag.QUEUED_CHILD_STATES | InetDiag.LISTEN_STATE;

    private final ProcfsSocketSource procfs;
    private final Supplier<LibC> libc;
    private final QueuedChildren queued = new QueuedChildren();

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
            List<TcpDescriptor> tcp = new ArrayList<>();
            descriptors.forEach((fd, inode) -> query.tcp(fd, inode).ifPresent(tcp::add));
            if (tcp.isEmpty() && watchedPorts.isEmpty()) {
                // Nothing to ask the kernel: most clean checks' samples, which then open no netlink socket.
                queued.retainOnly(Set.of());
                return new SocketTable(List.of(), List.of(), ownInodes);
            }
            try (NetlinkChannel channel = NetlinkChannel.open(calls)) {
                Requests requests = new Requests(channel, rows, queued);
                PortDump dump = new PortDump(watchedPorts);
                for (TcpDescriptor socket : tcp) {
                    boolean found = switch (socket.kind()) {
                        case UNLISTED -> true; // in no table: a full dump would not show it either
                        case PEER_UNKNOWN -> false;
                        case CONNECTED, LISTENING -> requests.lookUp(socket);
                    };
                    if (!found) {
                        dump.unreached(socket.localPort(), socket.inode());
                    }
                }
                List<RawSocketRow> listeners = ownListeners(rows.list(), ownInodes);
                queued.retainOnly(listeners.stream().map(row -> row.cookie().orElseThrow()).collect(Collectors.toSet()));
                for (RawSocketRow listener : listeners) {
                    if (listener.recvQ() > 0 && !watchedPorts.contains(listener.localPort())
                            && !requests.lookUpQueue(listener)) {
                        dump.queueOf(listener);
                    }
                }
                if (dump.isNeeded()) {
                    List<RawSocketRow> found = requests.dump(dump);
                    dump.queues.forEach(listener -> queued.learn(listener, onPort(found, listener.localPort())));
                    // A child accepted while its port was dumped has a descriptor the first listing did not see.
                    ownInodes.addAll(own.sockets().values());
                }
            }
            return new SocketTable(rows.list(), rows.skipped, ownInodes);
        }
    }

    /** One {@code statx} per descriptor, where the C library has it: a third of reading each link. */
    @Override
    public Set<Long> socketInodes() {
        try (LibC calls = libc.get()) {
            return new HashSet<>(new OwnDescriptors(calls, procfs).sockets().values());
        }
    }

    /** This process's listeners among {@code rows}. */
    private static List<RawSocketRow> ownListeners(List<RawSocketRow> rows, Set<Long> ownInodes) {
        return rows.stream()
                .filter(row -> row.state() == TcpState.LISTEN && ownInodes.contains(row.inode()))
                .collect(Collectors.toList());
    }

    private static List<RawSocketRow> onPort(List<RawSocketRow> rows, int port) {
        return rows.stream().filter(row -> row.localPort() == port).collect(Collectors.toList());
    }

    /** The ports one read must dump, and which of the sockets found there it keeps. */
    private static final class PortDump {
        private final Set<Integer> watched;
        private final Map<Integer, Set<Long>> unreachedByPort = new LinkedHashMap<>();
        private final List<RawSocketRow> queues = new ArrayList<>();

        PortDump(Set<Integer> watched) {
            this.watched = watched;
        }

        void unreached(int port, long inode) {
            unreachedByPort.computeIfAbsent(port, p -> new HashSet<>()).add(inode);
        }

        /** A listener whose queued children must be found by the dump. */
        void queueOf(RawSocketRow listener) {
            queues.add(listener);
        }

        boolean isNeeded() {
            return !watched.isEmpty() || !unreachedByPort.isEmpty() || !queues.isEmpty();
        }

        Set<Integer> ports() {
            Set<Integer> ports = new TreeSet<>(watched);
            ports.addAll(unreachedByPort.keySet());
            queues.forEach(listener -> ports.add(listener.localPort()));
            return ports;
        }

        int states() {
            return watched.isEmpty() && unreachedByPort.isEmpty() ? QUEUE_DUMP_STATES : InetDiag.ALL_STATES;
        }

        /**
         * Whether the read keeps {@code row}: every socket of a watched port, an unreached socket of ours (an
         * unreached listener gets its drop count here), a queued child. Listeners of ours were looked up already;
         * rows met twice are kept once.
         */
        boolean keeps(RawSocketRow row) {
            int port = row.localPort();
            return watched.contains(port)
                    || unreachedByPort.getOrDefault(port, Set.of()).contains(row.inode())
                    || queues.stream().anyMatch(listener -> listener.localPort() == port)
                            && (InetDiag.QUEUED_CHILD_STATES & (1 << row.state().code())) != 0;
        }
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
        private final QueuedChildren queued;

        Requests(NetlinkChannel channel, Rows rows, QueuedChildren queued) {
            this.channel = channel;
            this.rows = rows;
            this.queued = queued;
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

        /**
         * Asks for the children remembered for {@code listener} by their 4-tuples, and adds them when the queue
         * provably still holds them all and nothing else; false when it takes a dump to know.
         */
        boolean lookUpQueue(RawSocketRow listener) {
            Optional<List<RawSocketRow>> children = queued.candidates(listener);
            if (children.isEmpty()) {
                return false;
            }
            List<RawSocketRow> now = new ArrayList<>();
            for (RawSocketRow child : children.get()) {
                int family = child.family() == StandardProtocolFamily.INET ? InetDiag.AF_INET : InetDiag.AF_INET6;
                Optional<RawSocketRow> answer = channel.lookup(family, Addresses.bytesIn(child.family(), child.local()),
                        child.localPort(), Addresses.bytesIn(child.family(), child.remote()), child.remotePort(),
                        InetDiag.NO_EXTENSIONS, lookupReply,
                        "request for a connection queued on port " + child.localPort());
                if (!QueuedChildren.stillQueued(child, answer)) {
                    return false;
                }
                now.add(answer.get());
            }
            now.forEach(rows::add);
            return true;
        }

        /** One walk for every port {@code dump} needs, extensions for the listeners among the unreached. */
        List<RawSocketRow> dump(PortDump dump) {
            List<RawSocketRow> found = new ArrayList<>();
            channel.dumpPorts(dump.ports(), dump.states(), InetDiag.EXT_SKMEMINFO, found, rows.skipped);
            found.stream().filter(dump::keeps).forEach(rows::add);
            return found;
        }
    }
}
