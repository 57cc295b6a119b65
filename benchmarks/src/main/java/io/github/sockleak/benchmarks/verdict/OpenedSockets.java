package io.github.sockleak.benchmarks.verdict;

import io.github.sockleak.internal.Addresses;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every socket each fixture test opened in the current round, keyed by the test's name as sockleak writes it
 * ({@code VerdictSuite.CloseWaitLeak.serverNeverCloses()}): the exact 4-tuples (both orientations of each
 * connection) and listening addresses, against which a report's rows are checked, and the objects to close
 * once the test's class has run.
 */
final class OpenedSockets {

    /** What one test opened. Thread-safe: a test's own threads add to it too. */
    static final class Record {
        final String test;
        final Class<?> testClass;
        /** {@code "127.0.0.1:40000 127.0.0.1:5000"}: local then remote, both orientations of each connection. */
        final Set<String> tuples = ConcurrentHashMap.newKeySet();
        /** {@code "127.0.0.1:5000"}: the local address of each listener. */
        final Set<String> listeners = ConcurrentHashMap.newKeySet();
        private final List<Closeable> toClose = new ArrayList<>();
        /** What the fixture found out about its own sockets while it ran, for the details of a wrong verdict. */
        final List<String> diagnostics = java.util.Collections.synchronizedList(new ArrayList<>());
        /** When the harness closed what the test left open (System.nanoTime()); 0 before. */
        volatile long closedAt;

        Record(String test, Class<?> testClass) {
            this.test = test;
            this.testClass = testClass;
        }

        boolean ownsTuple(String local, String remote) {
            return tuples.contains(local + " " + remote);
        }

        boolean ownsListener(String local) {
            return listeners.contains(local);
        }

        synchronized void keep(Closeable closeable) {
            toClose.add(closeable);
        }

        /** Closes listeners first (their queued connections are reset), then every socket with a reset, not a FIN. */
        synchronized void closeAll() {
            if (closedAt == 0) {
                closedAt = System.nanoTime();
            }
            List<Closeable> ordered = new ArrayList<>();
            toClose.stream().filter(c -> c instanceof ServerSocket).forEach(ordered::add);
            toClose.stream().filter(c -> !(c instanceof ServerSocket)).forEach(ordered::add);
            for (Closeable closeable : ordered) {
                try {
                    if (closeable instanceof Socket && !((Socket) closeable).isClosed()) {
                        // SO_LINGER 0: an RST, so the cleanup leaves no CLOSE-WAIT or TIME-WAIT for a running check to see.
                        ((Socket) closeable).setSoLinger(true, 0);
                    }
                } catch (SocketException ignored) {
                    // closed meanwhile, or already reset: the close below is all that is left to do
                }
                try {
                    closeable.close();
                } catch (IOException ignored) {
                    // best effort: what matters is that the next round does not inherit it
                }
            }
            toClose.clear();
        }
    }

    private static final Map<String, Record> BY_TEST = new ConcurrentHashMap<>();

    private OpenedSockets() {
    }

    static Record of(String test, Class<?> testClass) {
        return BY_TEST.computeIfAbsent(test, t -> new Record(t, testClass));
    }

    static Record find(String test) {
        return BY_TEST.get(test);
    }

    /** The test that opened this connection (in either orientation) or listener; null when none did. */
    static String ownerOf(String local, String remote) {
        for (Record record : BY_TEST.values()) {
            if (remote == null ? record.ownsListener(local) : record.ownsTuple(local, remote)) {
                return record.test;
            }
        }
        return null;
    }

    static void listener(Record record, ServerSocket server) {
        record.listeners.add(format((InetSocketAddress) server.getLocalSocketAddress()));
        record.keep(server);
    }

    static void connection(Record record, Socket socket) {
        tuple(record, (InetSocketAddress) socket.getLocalSocketAddress(), (InetSocketAddress) socket.getRemoteSocketAddress());
        record.keep(socket);
    }

    /** Records a connection's 4-tuple without keeping the socket: for a socket the garbage collector must be free to take. */
    static void tuple(Record record, InetSocketAddress local, InetSocketAddress remote) {
        String a = format(local);
        String b = format(remote);
        record.tuples.add(a + " " + b);
        record.tuples.add(b + " " + a);
    }

    /** Closes what the tests of {@code testClass} opened. */
    static void closeClass(Class<?> testClass) {
        BY_TEST.values().stream().filter(r -> r.testClass == testClass).forEach(Record::closeAll);
    }

    /** Closes everything, then returns and forgets this round's records. */
    static Map<String, Record> endRound() {
        BY_TEST.values().forEach(Record::closeAll);
        Map<String, Record> round = new TreeMap<>(BY_TEST);
        BY_TEST.clear();
        return round;
    }

    /** As sockleak's rows print an endpoint: {@code 127.0.0.1:5000}; an IPv4-mapped address as IPv4. */
    static String format(InetSocketAddress endpoint) {
        return Addresses.format(new InetSocketAddress(Addresses.normalise(endpoint.getAddress()), endpoint.getPort()));
    }
}
