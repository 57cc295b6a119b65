package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.Owner;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.SsTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Writes what a check found the way a person reads it: a headline, {@code ss}-like rows, then explanations. */
public final class LeakReport {

    private LeakReport() {
    }

    /**
     * @param what            the test or class that was checked, as people know it
     * @param counterChanges  how the namespace's TCP counters moved during the test, when they could be read
     * @param concurrentNote  why the blame may be wrong under parallel execution, when it may
     * @param origins         where the reported sockets were opened, when the agent recorded it
     */
    public static String format(String what, LeakSettings settings, LeakCheck.Outcome outcome,
                                Optional<TcpCounters> counterChanges, Optional<String> concurrentNote, SocketOrigins origins) {
        LeakFindings findings = outcome.findings();
        SocketSnapshot after = outcome.diff().after();
        List<Listener> leakingListeners = findings.acceptQueues().stream().map(LeakFindings.AcceptQueueLeak::listener).collect(Collectors.toList());
        OriginLines originLines = new OriginLines(origins, findings.leaked(), leakingListeners);
        StringBuilder report = new StringBuilder("sockleak: ").append(what).append(' ').append(headline(findings));
        report.append(String.format("%n  (failing states %s; waited %d ms for sockets to settle, up to %d ms; source %s: %s)",
                settings.failOn().stream().map(TcpState::toString).sorted().collect(Collectors.joining(", ")),
                outcome.waited().toMillis(), settings.settle().toMillis(), after.source(), after.sourceReason()));
        if (!findings.leaked().isEmpty()) {
            report.append(System.lineSeparator()).append(SsTable.HEADER);
            for (TcpSocket socket : findings.leaked()) {
                report.append(System.lineSeparator()).append(socket);
                originLines.appendUnder(socket, report);
            }
        }
        for (LeakFindings.AcceptQueueLeak queue : findings.acceptQueues()) {
            report.append(System.lineSeparator()).append(acceptQueue(queue));
            originLines.appendUnder(queue.listener(), report);
        }
        explain(findings, report);
        counterChanges.flatMap(LeakReport::overflows).ifPresent(line -> report.append(System.lineSeparator()).append(line));
        concurrentNote.ifPresent(note -> report.append(System.lineSeparator()).append(note));
        return report.toString();
    }

    /**
     * What a check saw of other tests' leaks: sockets the agent saw another test open, whose own check had already
     * ended when this one found them. Not blamed on {@code what}; reported so that they are not lost.
     */
    public static String othersLeaks(String what, List<TcpSocket> sockets, SocketOrigins origins) {
        OriginLines originLines = new OriginLines(origins, sockets, List.of());
        StringBuilder report = new StringBuilder("sockleak: while checking ").append(what).append(", found ")
                .append(sockets.size()).append(sockets.size() == 1 ? " socket" : " sockets")
                .append(" leaked by other tests whose checks had already ended; not blamed on ").append(what).append(':');
        report.append(System.lineSeparator()).append(SsTable.HEADER);
        for (TcpSocket socket : sockets) {
            report.append(System.lineSeparator()).append(socket);
            originLines.appendUnder(socket, report);
        }
        return report.toString();
    }

    /** A line about listen overflows and drops, when either moved. */
    public static Optional<String> overflows(TcpCounters changes) {
        if (changes.listenOverflows() == 0 && changes.listenDrops() == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("ListenOverflows +%d, ListenDrops +%d during the test: a listener's accept queue"
                        + " was full and the kernel dropped handshakes (these counters belong to the whole network"
                        + " namespace: another process can move them too)",
                changes.listenOverflows(), changes.listenDrops()));
    }

    private static String headline(LeakFindings findings) {
        if (findings.isEmpty()) {
            return "saw a listener's accept queue overflow";
        }
        if (findings.leaked().isEmpty()) {
            return "left connections in an accept queue";
        }
        String states = findings.leaked().stream().map(t -> t.state().toString()).distinct().sorted().collect(Collectors.joining(", "));
        int count = findings.leaked().size();
        return "leaked " + count + (count == 1 ? " socket" : " sockets") + " in " + states;
    }

    private static String acceptQueue(LeakFindings.AcceptQueueLeak queue) {
        var listener = queue.listener();
        String backlog = listener.backlog().isPresent()
                ? String.valueOf(listener.backlog().getAsInt())
                : "unknown (/proc cannot see it; the origin agent can)";
        return String.format("accept queue of %s: depth %d, backlog %s, %d queued (%d opened by this test, never accepted), %d ghosts%s",
                Addresses.format(listener.local()), listener.acceptQueueDepth(), backlog, listener.queued().size(),
                queue.neverAccepted().size(), listener.ghosts(),
                queue.newGhosts() > 0 ? " (" + queue.newGhosts() + " new)" : "");
    }

    private static void explain(LeakFindings findings, StringBuilder report) {
        List<TcpSocket> leaked = findings.leaked();
        if (leaked.stream().anyMatch(t -> t.state() == TcpState.CLOSE_WAIT && t.owner() == Owner.THIS_PROCESS)) {
            report.append(System.lineSeparator())
                    .append("CLOSE-WAIT: the peer closed the connection and this process never closed its end.");
        }
        if (leaked.stream().anyMatch(t -> t.owner() == Owner.ACCEPT_QUEUE) || !findings.acceptQueues().isEmpty()) {
            report.append(System.lineSeparator())
                    .append("ACCEPT_QUEUE: the kernel completed the connection but the server never called accept().");
        }
        if (findings.acceptQueues().stream().anyMatch(q -> q.newGhosts() > 0)) {
            report.append(System.lineSeparator())
                    .append("Ghosts: queued connections that were reset (a client reusing a CLOSE-WAIT child's port does"
                            + " that) are gone from every table but still counted in the accept queue until accept().");
        }
    }
}
