package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import io.github.sockleak.junit.internal.origins.Origin;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The "opened at" lines under the rows of a leak report: what opened each socket, in which test, on which
 * thread, when, and the caller's stack. A stack that opened several of the reported sockets is printed once,
 * numbered, with how many it opened; the other sockets refer to it.
 */
final class OriginLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final String INDENT = "    ";

    private final SocketOrigins origins;
    /** The sockets the report shows as rows, each with its own lines. */
    private final Set<TcpSocket> rows;
    /** How often each stack will be shown, and the distinct origins (one socket each) it opened among them. */
    private final Map<List<StackTraceElement>, Integer> appearances = new HashMap<>();
    private final Map<List<StackTraceElement>, Set<Origin>> opened = new HashMap<>();
    private final Map<List<StackTraceElement>, Integer> numbers = new HashMap<>();

    /** @param reported every socket and accept queue the report will show, so that shared stacks can be counted first */
    OriginLines(SocketOrigins origins, List<TcpSocket> reported, List<LeakFindings.AcceptQueueLeak> queues,
                List<AbandonedSocket> abandoned) {
        this.origins = origins;
        this.rows = Set.copyOf(reported);
        for (TcpSocket socket : reported) {
            entries(socket).forEach(entry -> count(entry.origin));
        }
        for (LeakFindings.AcceptQueueLeak queue : queues) {
            origins.of(queue.listener().socket()).ifPresent(this::count);
            clientsNotInRows(queue).forEach(child -> entries(child).forEach(entry -> count(entry.origin)));
        }
        abandoned.forEach(socket -> count(socket.origin()));
    }

    /** Appends the lines for a leaked socket; nothing when origins are not recorded. */
    void appendUnder(TcpSocket socket, StringBuilder report) {
        if (!origins.isRecording()) {
            return;
        }
        List<Entry> entries = entries(socket);
        if (entries.isEmpty() && QueuedConnection.onAnotherProcessListener(socket)) {
            report.append(System.lineSeparator()).append(INDENT)
                    .append("never accepted by another process's listener; its client is unknown (not connected by this JVM"
                            + " while the agent recorded, or closed long before the table was read)");
        } else if (entries.isEmpty()) {
            report.append(System.lineSeparator()).append(INDENT)
                    .append("opened at: unknown (the agent holds no record of it: opened before the agent was installed,"
                            + " or not through the JDK's sockets, or closed since the table was read)");
        }
        entries.forEach(entry -> append(entry, report));
    }

    /** Appends the lines for a socket the garbage collector closed. */
    void appendUnder(AbandonedSocket socket, StringBuilder report) {
        append(new Entry("opened at", socket.origin()), report);
    }

    /** Appends the lines for an accept queue that leaked: its listener's opening, or what this JVM put in it. */
    void appendUnder(LeakFindings.AcceptQueueLeak queue, StringBuilder report) {
        if (!origins.isRecording()) {
            return;
        }
        origins.of(queue.listener().socket()).ifPresent(origin -> append(new Entry("listener opened at", origin), report));
        clientsNotInRows(queue).forEach(child -> entries(child).forEach(entry -> append(entry, report)));
    }

    /**
     * The connections of another process's queue whose lines no row shows (a queued child in a state that does not
     * fail): that listener has no origin in this JVM, so its clients' are all that says which code filled it.
     */
    private List<TcpSocket> clientsNotInRows(LeakFindings.AcceptQueueLeak queue) {
        if (queue.listener().socket().isOwn()) {
            return List.of();
        }
        return queue.neverAccepted().stream().filter(child -> !rows.contains(child)).collect(Collectors.toList());
    }

    private List<Entry> entries(TcpSocket socket) {
        List<Entry> entries = new ArrayList<>();
        Optional<Origin> own = origins.of(socket);
        if (own.isPresent()) {
            entries.add(new Entry("opened at", own.get()));
        } else if (QueuedConnection.waitsForAccept(socket)) {
            // The peer of a queued connection is its client, on this listener of ours or on a watched one of another process.
            origins.peerOf(socket).ifPresent(client -> entries.add(new Entry("never accepted; its client was opened at", client)));
            origins.listenerOf(socket).ifPresent(listener -> entries.add(new Entry("waits in the accept queue of the listener opened at", listener)));
        }
        return entries;
    }

    private void count(Origin origin) {
        List<StackTraceElement> frames = origin.callerFrames();
        if (!frames.isEmpty()) {
            appearances.merge(frames, 1, Integer::sum);
            opened.computeIfAbsent(frames, f -> Collections.newSetFromMap(new IdentityHashMap<>())).add(origin);
        }
    }

    private void append(Entry entry, StringBuilder report) {
        Origin origin = entry.origin;
        String context = origin.kind().verb() + " " + (origin.test() == null ? "outside any checked test" : "in test " + origin.test().name())
                + ", thread \"" + origin.thread() + "\", " + TIME.format(origin.openedAt());
        report.append(System.lineSeparator()).append(INDENT).append(entry.label);
        List<StackTraceElement> frames = origin.callerFrames();
        if (!origin.hasStack()) {
            report.append(" (").append(context).append("; no stack: sockleak.originStacks=false)");
            return;
        }
        if (frames.isEmpty()) {
            report.append(" (").append(context).append("): no caller frames, only the JDK's (it completed the call on a thread of its own)");
            return;
        }
        Integer number = numbers.get(frames);
        if (number != null) {
            report.append(" stack [").append(number).append("] above (").append(context).append(')');
            appendSubmissions(origin, report);
            return;
        }
        if (appearances.getOrDefault(frames, 1) > 1) {
            number = numbers.size() + 1;
            numbers.put(frames, number);
            int sockets = opened.get(frames).size();
            report.append(" [stack ").append(number).append(sockets > 1 ? ", which opened " + sockets + " of these sockets]" : "]");
        }
        report.append(" (").append(context).append("):");
        for (String line : origin.callerLines()) {
            report.append(System.lineSeparator()).append(INDENT).append(INDENT).append(line);
        }
        appendSubmissions(origin, report);
    }

    /** Where the work that opened the socket was handed over, under its opening: the test's frames are often there. */
    private static void appendSubmissions(Origin origin, StringBuilder report) {
        String label = "submitted at";
        for (Origin.Submission submission : origin.submissions()) {
            report.append(System.lineSeparator()).append(INDENT).append(label)
                    .append(" (thread \"").append(submission.thread()).append("\"):");
            for (String line : submission.lines()) {
                report.append(System.lineSeparator()).append(INDENT).append(INDENT).append(line);
            }
            label = "submitted first at";
        }
    }

    private static final class Entry {
        final String label;
        final Origin origin;

        Entry(String label, Origin origin) {
            this.label = label;
            this.origin = origin;
        }
    }
}
