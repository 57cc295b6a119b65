package io.github.sockleak.benchmarks.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a sockleak report blames: its rows, accept queues and collected sockets, each with the tests its
 * "opened at" lines name. Only the shapes {@code LeakReport} writes.
 */
final class ReportReader {

    enum Type {
        /** A leak blamed on the test named in the headline: a failure, or the same text published. */
        LEAK,
        /** Sockets of other tests whose checks had ended, blamed on those tests by their "opened at" lines. */
        OTHER_TESTS_NOTE,
        /** Sockets the agent saw opened for no checked test: blamed on none. */
        UNATTRIBUTED_NOTE,
        /** Only that a listener's accept queue overflowed during the test: published, never a failure by default. */
        OVERFLOW_WARNING,
        /** A check that could not be made, or anything else. */
        OTHER
    }

    /** One thing a report lists: a socket row, an accept queue or a socket the garbage collector closed. */
    static final class Item {
        final String line;
        /** Its local address; for a listener or an accept queue, the listening address. */
        final String local;
        /** Its remote address; null for a listener or an accept queue; both null when the report could not say. */
        final String remote;
        /** The tests its "opened at" lines name ("in test X"); "outside any checked test" as null. */
        final List<String> originTests = new ArrayList<>();

        Item(String line, String local, String remote) {
            this.line = line;
            this.local = local;
            this.remote = remote;
        }

        boolean addressed() {
            return local != null;
        }
    }

    static final class Report {
        final String text;
        final Type type;
        /** The test the headline names: blamed for a LEAK, only the check's for the notes. */
        final String headlineTest;
        final List<Item> items = new ArrayList<>();
        final boolean overlapNote;
        /** The report's "waited N ms for sockets to settle"; 0 when it has none. */
        final long waitedMs;

        Report(String text, Type type, String headlineTest, boolean overlapNote, long waitedMs) {
            this.text = text;
            this.type = type;
            this.headlineTest = headlineTest;
            this.overlapNote = overlapNote;
            this.waitedMs = waitedMs;
        }
    }

    static final String OVERLAP_NOTE = "Other tests ran at the same time";

    private static final Pattern LEAK_HEADLINE = Pattern.compile(
            "^sockleak: (.+?) (leaked \\d+ sockets?|left connections in an accept queue|saw a listener's accept queue overflow)");
    private static final Pattern NOTE_HEADLINE = Pattern.compile("^sockleak: while checking (.+?), found \\d+ sockets? (.*)$");
    private static final Pattern WAITED = Pattern.compile("waited (\\d+) ms for sockets to settle");
    private static final Pattern ROW = Pattern.compile("^[A-Z][A-Z0-9-]*\\s+\\d+\\s+\\d+\\s+(\\S+)\\s+(\\S+)\\s+[A-Z_]+ ino:\\d+\\s*$");
    private static final Pattern QUEUE = Pattern.compile("^accept queue of (\\S+): depth");
    private static final Pattern COLLECTED = Pattern.compile(
            "^closed by the garbage collector, never by the application: (?:connected|accepted|listening) (\\S+)(?: <-> (\\S+))?");
    private static final Pattern ORIGIN = Pattern.compile(
            "^\\s+.*\\((?:connected|accepted|listening) (?:in test (.+?)|outside any checked test), thread \"");

    private ReportReader() {
    }

    static Report read(String text) {
        String[] lines = text.split("\\R");
        String first = lines[0];
        Type type = Type.OTHER;
        String test = null;
        Matcher note = NOTE_HEADLINE.matcher(first);
        Matcher leak = LEAK_HEADLINE.matcher(first);
        if (note.find()) {
            test = note.group(1);
            type = note.group(2).contains("leaked by other tests") ? Type.OTHER_TESTS_NOTE
                    : note.group(2).contains("opened for no checked test") ? Type.UNATTRIBUTED_NOTE : Type.OTHER;
        } else if (leak.find()) {
            test = leak.group(1);
            type = leak.group(2).startsWith("saw a listener") ? Type.OVERFLOW_WARNING : Type.LEAK;
        }
        Matcher waited = WAITED.matcher(text);
        Report report = new Report(text, type, test, text.contains(OVERLAP_NOTE), waited.find() ? Long.parseLong(waited.group(1)) : 0);
        Item current = null;
        for (String line : lines) {
            Matcher m;
            if ((m = ROW.matcher(line)).find()) {
                String peer = m.group(2);
                current = new Item(line, m.group(1), peer.equals("*:*") ? null : peer);
                report.items.add(current);
            } else if ((m = QUEUE.matcher(line)).find()) {
                current = new Item(line, m.group(1), null);
                report.items.add(current);
            } else if (line.startsWith("closed by the garbage collector, never by the application: ")) {
                m = COLLECTED.matcher(line);
                current = m.find() && !m.group(1).startsWith("(") ? new Item(line, m.group(1), m.group(2)) : new Item(line, null, null);
                report.items.add(current);
            } else if (current != null && (m = ORIGIN.matcher(line)).find()) {
                current.originTests.add(m.group(1));
            }
        }
        return report;
    }
}
