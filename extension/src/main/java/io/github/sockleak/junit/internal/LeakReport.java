package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.Owner;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.SsTable;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes what a check found the way a person reads it: a headline, {@code ss}-like rows, then explanations. */
public final class LeakReport {

    private LeakReport() {
    }

    /** How many of a report's named checks it lists before it only counts the rest. */
    private static final int NAMES_SHOWN = 5;

    /**
     * @param what            the test or class that was checked, as people know it
     * @param findings        what the check blames on {@code what}
     * @param overflows       the line about handshakes dropped during the test, when some were
     * @param concurrentNote  why the blame may be wrong under parallel execution, when it may
     * @param origins         where the reported sockets were opened, when the agent recorded it
     * @param recorded        the check's timeline, for a line of history under each leak, when it was recorded
     */
    public static String format(String what, LeakSettings settings, LeakCheck.Outcome outcome, LeakFindings findings,
                                Optional<String> overflows, Optional<String> concurrentNote, SocketOrigins origins,
                                CheckTimeline.Recorded recorded) {
        OriginLines originLines = new OriginLines(origins, findings.leaked(), findings.acceptQueues(), findings.abandoned());
        StringBuilder report = new StringBuilder("sockleak: ").append(what).append(' ').append(headline(findings));
        long lastProbe = outcome.lastProbe().toMillis();
        String source = outcome.after().map(after -> "source " + after.source() + ": " + after.sourceReason())
                .orElse("no table read: no socket descriptor appeared during the test");
        report.append(String.format("%n  (failing states %s; waited %d ms for sockets to settle, up to %d ms%s; %s)",
                settings.failOn().stream().map(TcpState::toString).sorted().collect(Collectors.joining(", ")),
                outcome.waited().toMillis(), settings.settle().toMillis(),
                lastProbe >= 10 ? "; the last probe took " + lastProbe + " ms" : "", source));
        appendRows(findings.leaked(), originLines, recorded, report);
        for (LeakFindings.AcceptQueueLeak queue : findings.acceptQueues()) {
            report.append(System.lineSeparator()).append(acceptQueue(queue));
            history(queue.listener(), recorded).ifPresent(line -> report.append(System.lineSeparator()).append(line));
            originLines.appendUnder(queue, report);
        }
        appendAbandoned(findings.abandoned(), originLines, report);
        explain(findings, report);
        overflows.ifPresent(line -> report.append(System.lineSeparator()).append(line));
        concurrentNote.ifPresent(note -> report.append(System.lineSeparator()).append(note));
        return report.toString();
    }

    /** Why a check that overlapped others may blame the wrong test, naming them. */
    public static String concurrentNote(List<String> overlapped) {
        String names = overlapped.isEmpty() ? "" : " (" + overlapped.size() + " checked: " + names(overlapped) + ")";
        return "Other tests ran at the same time" + names
                + ": the kernel cannot tell which test opened a socket, so this one may be blamed for theirs.";
    }

    /**
     * What a check saw of other tests' leaks: sockets the agent saw another test open, and sockets of other tests
     * that the garbage collector closed, found after those tests' checks had ended. Not blamed on {@code what};
     * reported so that they are not lost.
     */
    public static String othersLeaks(String what, List<TcpSocket> sockets, List<AbandonedSocket> abandoned, SocketOrigins origins) {
        OriginLines originLines = new OriginLines(origins, sockets, List.of(), abandoned);
        int count = sockets.size() + abandoned.size();
        StringBuilder report = new StringBuilder("sockleak: while checking ").append(what).append(", found ")
                .append(count).append(count == 1 ? " socket" : " sockets")
                .append(" leaked by other tests whose checks had already ended; not blamed on ").append(what).append(':');
        appendRows(sockets, originLines, CheckTimeline.Recorded.NONE, report);
        appendAbandoned(abandoned, originLines, report);
        return report.toString();
    }

    /**
     * Sockets left in failing states, and accept queues, that no test can be blamed for: the agent saw no checked
     * test open them, and other tests ran during the check, so they may be any of those tests' as well as this one's.
     */
    public static String unattributed(String what, LeakFindings found, List<String> overlapped, SocketOrigins origins) {
        OriginLines originLines = new OriginLines(origins, found.leaked(), found.acceptQueues(), List.of());
        int count = found.leaked().size() + found.acceptQueues().size();
        StringBuilder report = new StringBuilder("sockleak: while checking ").append(what).append(", found ")
                .append(count).append(count == 1 ? " socket or accept queue" : " sockets or accept queues")
                .append(" left behind that the agent saw opened for no checked test, while other tests ran")
                .append(overlapped.isEmpty() ? "" : " (" + names(overlapped) + ")")
                .append("; not blamed on any test:");
        appendRows(found.leaked(), originLines, CheckTimeline.Recorded.NONE, report);
        for (LeakFindings.AcceptQueueLeak queue : found.acceptQueues()) {
            report.append(System.lineSeparator()).append(acceptQueue(queue));
        }
        return report.toString();
    }

    /**
     * Leaks that {@code ignoreOpenedBy} lets pass, a line each with the package or class their opening passed
     * through; they never fail a test.
     */
    public static String ignored(String what, Map<TcpSocket, String> sockets, Map<LeakFindings.AcceptQueueLeak, String> queues,
                                 Map<AbandonedSocket, String> abandoned) {
        int count = sockets.size() + queues.size() + abandoned.size();
        StringBuilder report = new StringBuilder("sockleak: ").append(what).append(" left ").append(count)
                .append(count == 1 ? " leak" : " leaks").append(" that ignoreOpenedBy lets pass, not failing it:");
        sockets.forEach((socket, name) -> report.append(System.lineSeparator()).append(socket).append(throughLine(name)));
        queues.forEach((queue, name) -> report.append(System.lineSeparator()).append(acceptQueue(queue)).append(throughLine(name)));
        abandoned.forEach((socket, name) -> report.append(System.lineSeparator())
                .append("closed by the garbage collector, never by the application: ").append(socket.origin().kind().verb())
                .append(' ').append(socket.addresses().orElse("(addresses not read)")).append(throughLine(name)));
        return report.toString();
    }

    /** Why {@code ignoreOpenedBy} lets nothing pass in this JVM. */
    public static String ignoreCannotApply(Set<String> names, boolean recording) {
        return "sockleak: ignoreOpenedBy (" + String.join(", ", names) + ") cannot let any leak pass: it needs the stacks"
                + " the origin agent records to see which code opened a socket, and "
                + (recording ? "sockleak.originStacks=false records none" : "the agent is not recording in this JVM")
                + ". Every leak fails as usual.";
    }

    private static String throughLine(String name) {
        return "  (opened through " + name + ")";
    }

    /** A line about the namespace's listen overflows and drops ({@code /proc}), when either moved. */
    public static Optional<String> overflows(TcpCounters changes) {
        if (changes.listenOverflows() == 0 && changes.listenDrops() == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("ListenOverflows +%d, ListenDrops +%d during the test: a listener's accept queue"
                        + " was full and the kernel dropped handshakes (these counters belong to the whole network"
                        + " namespace: another process can move them too; /proc has no count per listener)",
                changes.listenOverflows(), changes.listenDrops()));
    }

    /** A note about listeners whose overflows a check on {@code /proc} could not count: see {@code HandshakeDrops.uncounted}. */
    public static String overflowsNotCounted(String name, List<Listener> listeners) {
        return "sockleak: " + name + " opened " + (listeners.size() == 1 ? "a listener" : "listeners") + " on "
                + listeners.stream().map(listener -> Addresses.format(listener.local())).collect(Collectors.joining(", "))
                + " without the JDK's bind(), which the origin agent watches (a native transport?), so the namespace's"
                + " counters were not read before it: listen overflows during the test were not counted. Netlink counts"
                + " them per listener (JNA on JDK 17 to 21, native access on JDK 22+).";
    }

    /** A line about this process's listeners that dropped handshakes during the test (netlink), when any did. */
    public static Optional<String> listenerDrops(Map<Listener, Long> dropped) {
        if (dropped.isEmpty()) {
            return Optional.empty();
        }
        String listeners = dropped.entrySet().stream()
                .map(entry -> Addresses.format(entry.getKey().local()) + " +" + entry.getValue()
                        + entry.getKey().backlog().stream().mapToObj(backlog -> " (backlog " + backlog + ")").findFirst().orElse(""))
                .collect(Collectors.joining(", "));
        return Optional.of("Listener drops during the test: " + listeners + ": the accept queue was full and the kernel"
                + " dropped handshakes (the kernel's count for each of this process's listeners)");
    }

    private static String headline(LeakFindings findings) {
        if (findings.isEmpty()) {
            return "saw a listener's accept queue overflow";
        }
        if (!findings.leaked().isEmpty()) {
            String states = findings.leaked().stream().map(t -> t.state().toString()).distinct().sorted().collect(Collectors.joining(", "));
            return "leaked " + sockets(findings.leaked().size()) + " in " + states;
        }
        if (!findings.abandoned().isEmpty()) {
            return "leaked " + sockets(findings.abandoned().size()) + ", closed by the garbage collector, never by the application";
        }
        return "left connections in an accept queue";
    }

    private static String sockets(int count) {
        return count + (count == 1 ? " socket" : " sockets");
    }

    private static String names(List<String> checks) {
        String shown = checks.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "));
        return checks.size() > NAMES_SHOWN ? shown + " and " + (checks.size() - NAMES_SHOWN) + " more" : shown;
    }

    private static void appendRows(List<TcpSocket> sockets, OriginLines originLines, CheckTimeline.Recorded recorded,
                                   StringBuilder report) {
        if (sockets.isEmpty()) {
            return;
        }
        report.append(System.lineSeparator()).append(SsTable.HEADER);
        for (TcpSocket socket : sockets) {
            report.append(System.lineSeparator()).append(socket);
            history(socket, recorded).ifPresent(line -> report.append(System.lineSeparator()).append(line));
            originLines.appendUnder(socket, report);
        }
    }

    /** {@code     history: ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end (test ended at 15 ms, settled 1,000 ms)}. */
    private static Optional<String> history(TcpSocket socket, CheckTimeline.Recorded recorded) {
        return recorded.timeline().flatMap(timeline -> timeline.socket(socket))
                .map(history -> historyLine(history.summary(), recorded));
    }

    /** {@code     history: depth 0 -> 1 (3 ms) -> 2 (4 ms); ghost at 19 ms (test ended at ..., settled ...)}. */
    private static Optional<String> history(Listener listener, CheckTimeline.Recorded recorded) {
        return recorded.timeline().flatMap(timeline -> timeline.listeners().stream()
                        .filter(history -> history.socket().local().equals(listener.local())
                                && history.socket().inode() == listener.socket().inode())
                        .reduce((first, later) -> later)) // a listener reopened with the same inode: the latest
                .map(history -> historyLine(history.summary(), recorded));
    }

    private static String historyLine(String summary, CheckTimeline.Recorded recorded) {
        String when = recorded.settle().map(settle -> String.format(Locale.ROOT, " (test ended at %,d ms, settled %,d ms)",
                settle.from().toMillis(), CheckTimeline.Recorded.length(settle).toMillis())).orElse("");
        return "    history: " + summary + when;
    }

    /** The report with the line that points to the check's timeline page. */
    public static String withTimelinePage(String report, Path page) {
        return report + System.lineSeparator() + "timeline: " + page;
    }

    /** Where the timeline of a test that failed by itself, without a leak, was written. */
    public static String timelinePageOf(String what, Path page) {
        return "sockleak: the timeline of " + what + ": " + page;
    }

    /** Sockets that are gone from the kernel, closed by the JDK's cleaner: no row to show, only what the agent saw. */
    private static void appendAbandoned(List<AbandonedSocket> abandoned, OriginLines originLines, StringBuilder report) {
        for (AbandonedSocket socket : abandoned) {
            report.append(System.lineSeparator()).append("closed by the garbage collector, never by the application: ")
                    .append(socket.origin().kind().verb()).append(' ')
                    .append(socket.addresses().orElse("(its addresses were not read before it was collected)"));
            originLines.appendUnder(socket, report);
        }
    }

    private static String acceptQueue(LeakFindings.AcceptQueueLeak queue) {
        var listener = queue.listener();
        boolean own = listener.socket().isOwn();
        String backlog = listener.backlog().isPresent()
                ? String.valueOf(listener.backlog().getAsInt())
                // The agent sees this JVM's listen() calls only.
                : own ? "unknown (/proc cannot see it; the origin agent can)" : "unknown (/proc cannot see it)";
        return String.format("accept queue of %s: depth %d, backlog %s, %d queued (%d opened by this test, never accepted), %d ghosts%s",
                Addresses.ofListener(listener), listener.acceptQueueDepth(), backlog,
                listener.queued().size(),
                queue.neverAccepted().size(), listener.ghosts(),
                queue.newGhosts() > 0 ? " (" + queue.newGhosts() + " new)" : "");
    }

    private static void explain(LeakFindings findings, StringBuilder report) {
        List<TcpSocket> leaked = findings.leaked();
        if (leaked.stream().anyMatch(t -> t.state() == TcpState.CLOSE_WAIT && t.owner() == Owner.THIS_PROCESS)) {
            report.append(System.lineSeparator())
                    .append("CLOSE-WAIT: the peer closed the connection and this process never closed its end.");
        }
        // One line for every queue, this process's or a watched one of another process: the rows say whose.
        if (leaked.stream().anyMatch(QueuedConnection::waitsForAccept) || !findings.acceptQueues().isEmpty()) {
            report.append(System.lineSeparator())
                    .append("Accept queue: the kernel completed the connection but the server never called accept().");
        }
        if (!findings.abandoned().isEmpty()) {
            report.append(System.lineSeparator())
                    .append("Garbage collected: the application dropped these sockets without closing them; the JDK's"
                            + " cleaner closed them when the garbage collector found them unreachable. Close them in the code.");
        }
        if (findings.acceptQueues().stream().anyMatch(q -> q.newGhosts() > 0)) {
            report.append(System.lineSeparator())
                    .append("Ghosts: queued connections that were reset (a client reusing a CLOSE-WAIT child's port does"
                            + " that) are gone from every table but still counted in the accept queue until accept().");
        }
    }
}
