package io.github.sockleak.benchmarks.verdict;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.sockleak.Sockets;
import io.github.sockleak.benchmarks.verdict.Expect.Kind;
import io.github.sockleak.benchmarks.verdict.ReportReader.Item;
import io.github.sockleak.benchmarks.verdict.ReportReader.Report;
import io.github.sockleak.benchmarks.verdict.ReportReader.Type;
import io.github.sockleak.junit.SocketLeakError;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs {@link VerdictSuite} through the JUnit Platform, round after round, sequentially and in parallel, and
 * counts sockleak's wrong verdicts: leaky tests that passed, clean tests that failed, reports that blame a test
 * for a socket another test opened (each fixture writes down the exact 4-tuples it opens), and, without the
 * agent in parallel, reports whose check overlapped another's that do not say so.
 *
 * <p>{@code VerdictHarness --origins agent|off [--rounds N] [--modes sequential,parallel] [--rows FILE]
 * [--details FILE] [--seed S] [--every-report true]}. With {@code agent} the JVM must have been started with the extension jar as
 * {@code -javaagent}, and the checks are run with {@code sockleak.origins=on}; with {@code off}, with
 * {@code sockleak.origins=off}. Each mode's row of the markdown table is printed (and appended to the rows file);
 * every wrong verdict, with its report, goes to the details file.
 */
public final class VerdictHarness {

    private static final Map<String, String> PARALLEL = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

    enum Mode {
        SEQUENTIAL("sequential"), PARALLEL("parallel (4 threads)");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private final boolean agent;
    private final PrintWriter details;
    /** Whether every report is written to the details file with what the harness read in it, not only wrong ones. */
    private boolean everyReport;
    private final Map<Mode, Tally> tallies = new LinkedHashMap<>();

    private VerdictHarness(boolean agent, PrintWriter details) {
        this.agent = agent;
        this.details = details;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        boolean agent = switch (options.getOrDefault("origins", "")) {
            case "agent" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--origins agent|off is required");
        };
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "10"));
        List<Mode> modes = new ArrayList<>();
        for (String mode : options.getOrDefault("modes", "sequential,parallel").split(",")) {
            modes.add(Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT)));
        }
        long seed = Long.parseLong(options.getOrDefault("seed", String.valueOf(System.nanoTime())));
        Path detailsFile = Path.of(options.getOrDefault("details", "verdict-details.txt"));
        Path rowsFile = options.containsKey("rows") ? Path.of(options.get("rows")) : null;

        try (PrintWriter details = new PrintWriter(Files.newBufferedWriter(detailsFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            VerdictHarness harness = new VerdictHarness(agent, details);
            harness.everyReport = Boolean.parseBoolean(options.getOrDefault("every-report", "false"));
            details.printf("# %s, java %s, origins %s, %d rounds, seed %d%n", java.time.Instant.now(),
                    System.getProperty("java.version"), agent ? "agent" : "off", rounds, seed);
            harness.run(rounds, modes, new Random(seed));
            List<String> rows = harness.rows();
            rows.forEach(System.out::println);
            if (rowsFile != null) {
                Files.write(rowsFile, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    private void run(int rounds, List<Mode> modes, Random random) {
        Launcher launcher = LauncherFactory.create();
        String source = Sockets.snapshot().source().name().toLowerCase(Locale.ROOT);
        System.out.printf("# java %s, snapshots from %s, origins %s%n", System.getProperty("java.version"), source,
                agent ? "from the agent" : "off");
        for (int round = 1; round <= rounds; round++) {
            for (Mode mode : modes) {
                long seed = random.nextLong();
                long start = System.nanoTime();
                runRound(launcher, mode, round, seed);
                Tally tally = tallies.get(mode);
                System.out.printf("# round %d/%d %-20s %5.1f s  %s%n", round, rounds, mode.label,
                        (System.nanoTime() - start) / 1e9, tally.brief());
                if (round == 1 && mode == modes.get(0)) {
                    requireOrigins();
                }
            }
        }
    }

    /** The agent is there and used exactly when it should be: otherwise the figures would measure something else. */
    private void requireOrigins() {
        OriginsStatus status = OriginAgent.status();
        if (agent && !(status.isActive() && "-javaagent".equals(status.how()))) {
            throw new IllegalStateException("--origins agent, but the agent is not active from -javaagent: " + status);
        }
        if (!agent && status.isActive()) {
            throw new IllegalStateException("--origins off, but an agent is active (start the JVM without -javaagent): " + status);
        }
        System.out.println("# origin agent: " + status);
    }

    private void runRound(Launcher launcher, Mode mode, int round, long seed) {
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("sockleak.origins", agent ? "on" : "off");
        configuration.put("junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$Random");
        configuration.put("junit.jupiter.testmethod.order.default", "org.junit.jupiter.api.MethodOrderer$Random");
        configuration.put("junit.jupiter.execution.order.random.seed", String.valueOf(seed));
        if (mode == Mode.PARALLEL) {
            configuration.putAll(PARALLEL);
        }
        List<ClassSelector> selectors = VerdictSuite.CLASSES.stream().map(c -> selectClass(c)).collect(Collectors.toList());
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .configurationParameters(configuration).build();
        Recorder recorder = new Recorder();
        try {
            launcher.execute(request, recorder);
        } finally {
            VerdictSuite.SharedPool.shutDown();
            Map<String, OpenedSockets.Record> opened = OpenedSockets.endRound();
            Map<String, Windows.Window> windows = Windows.endRound();
            new Round(mode, round, seed, recorder, opened, windows).judge(tallies.computeIfAbsent(mode, m -> new Tally()));
        }
    }

    /** What JUnit said about each test of one round, and what sockleak published for it. */
    private static final class Recorder implements TestExecutionListener {
        final Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        final Map<String, Method> methods = new ConcurrentHashMap<>();
        final Map<String, List<String>> published = new ConcurrentHashMap<>();

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            name(test).ifPresent(name -> results.put(name, result));
        }

        @Override
        public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
            String report = entry.getKeyValuePairs().get("sockleak");
            if (report != null) {
                published.computeIfAbsent(name(test).orElse(test.getDisplayName()), t -> java.util.Collections.synchronizedList(new ArrayList<>())).add(report);
            }
        }

        private java.util.Optional<String> name(TestIdentifier test) {
            if (!test.isTest() || test.getSource().filter(s -> s instanceof MethodSource).isEmpty()) {
                return java.util.Optional.empty();
            }
            MethodSource source = (MethodSource) test.getSource().get();
            String name = Windows.testName(source.getJavaClass(), source.getJavaMethod());
            methods.put(name, source.getJavaMethod());
            return java.util.Optional.of(name);
        }
    }

    /** The counts of one mode over all its rounds. */
    static final class Tally {
        int testsRun;
        int leakyTotal;
        int leakyCaught;
        /** Leaks on a shared thread that the agent wrote down as unattributed, not failed: allowed in parallel. */
        int leakyUnattributed;
        int missed;
        int cleanTotal;
        int cleanFailed;
        int cleanFailedWithoutNote;
        int misattributed;
        int overlappedReports;
        int overlapNotesMissing;
        int unattributedNotes;
        int otherTestsNotes;
        int blamedForOthers;
        int overflowWarnings;
        int fixtureErrors;
        int harnessProblems;
        int undetectable;

        String brief() {
            return String.format("leaky %d/%d (+%d unattributed), clean failed %d, misattributed %d, overlap notes missing %d/%d,"
                            + " unattributed notes %d, fixture errors %d, harness problems %d",
                    leakyCaught, leakyTotal, leakyUnattributed, cleanFailed, misattributed, overlapNotesMissing, overlappedReports,
                    unattributedNotes, fixtureErrors, harnessProblems);
        }
    }

    private List<String> rows() {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<Mode, Tally> entry : tallies.entrySet()) {
            Mode mode = entry.getKey();
            Tally t = entry.getValue();
            boolean blamesOverlapping = mode == Mode.PARALLEL && !agent;
            String clean = blamesOverlapping
                    ? t.cleanFailed + " of " + t.cleanTotal + (t.cleanFailed == 0 ? "" : t.cleanFailedWithoutNote == 0
                    ? " (all with the note)" : " (" + t.cleanFailedWithoutNote + " without the note)")
                    : t.cleanFailed + " of " + t.cleanTotal;
            String misattributed = blamesOverlapping
                    ? "not counted (" + t.blamedForOthers + " reports listed other tests' sockets, as the note warns)"
                    : String.valueOf(t.misattributed);
            String notes = blamesOverlapping ? t.overlapNotesMissing + " of " + t.overlappedReports : "n/a";
            String other = String.format("unattributed notes %d, other-tests notes %d, overflow warnings %d, fixture errors %d,"
                            + " harness problems %d%s", t.unattributedNotes, t.otherTestsNotes, t.overflowWarnings, t.fixtureErrors,
                    t.harnessProblems,
                    t.undetectable > 0 ? ", GC-closed leaks not counted (invisible without the agent) " + t.undetectable : "");
            String leaky = t.leakyCaught + "/" + t.leakyTotal
                    + (t.leakyUnattributed > 0 ? " (+" + t.leakyUnattributed + " shared-thread leaks noted as unattributed)" : "");
            rows.add(String.format("| %s, %s | %d | %s | %s | %s | %s | %s |", mode.label,
                    agent ? "agent" : "no agent", t.testsRun, leaky, clean, misattributed, notes, other));
        }
        return rows;
    }

    /** One round's verdicts, judged test by test. */
    private final class Round {
        private final Mode mode;
        private final int round;
        private final long seed;
        private final Recorder recorder;
        private final Map<String, OpenedSockets.Record> opened;
        private final Map<String, Windows.Window> windows;
        /** The reports each test failed with (or that were published as its leak), read. */
        private final Map<String, List<Report>> leakReports = new LinkedHashMap<>();
        private final Map<String, List<Report>> notes = new LinkedHashMap<>();

        Round(Mode mode, int round, long seed, Recorder recorder, Map<String, OpenedSockets.Record> opened,
              Map<String, Windows.Window> windows) {
            this.mode = mode;
            this.round = round;
            this.seed = seed;
            this.recorder = recorder;
            this.opened = opened;
            this.windows = windows;
            recorder.results.forEach((test, result) -> {
                List<Report> reports = new ArrayList<>();
                result.getThrowable().ifPresent(failure -> {
                    if (failure instanceof SocketLeakError) {
                        reports.add(ReportReader.read(failure.getMessage()));
                    }
                    for (Throwable suppressed : failure.getSuppressed()) {
                        if (suppressed instanceof SocketLeakError) {
                            reports.add(ReportReader.read(suppressed.getMessage()));
                        }
                    }
                });
                List<Report> published = new ArrayList<>();
                for (String text : recorder.published.getOrDefault(test, List.of())) {
                    Report report = ReportReader.read(text);
                    (report.type == Type.LEAK ? reports : published).add(report);
                }
                leakReports.put(test, reports);
                notes.put(test, published);
            });
        }

        void judge(Tally tally) {
            boolean blamesOverlapping = mode == Mode.PARALLEL && !agent;
            for (Map.Entry<String, TestExecutionResult> entry : new java.util.TreeMap<>(recorder.results).entrySet()) {
                String test = entry.getKey();
                TestExecutionResult result = entry.getValue();
                Kind kind = recorder.methods.get(test).getAnnotation(Expect.class).value();
                List<Report> reports = leakReports.get(test);
                Throwable failure = result.getThrowable().orElse(null);
                boolean fixtureError = failure != null && !(failure instanceof SocketLeakError);
                tally.testsRun++;
                Windows.Window window = windows.get(test);
                if (window == null || window.orderProblem != null || window.innerEnd == 0 || window.outerEnd == 0) {
                    tally.harnessProblems++;
                    record("HARNESS PROBLEM", test, result, window == null ? "no window recorded"
                            : window.orderProblem != null ? window.orderProblem : "the window was not closed");
                }
                if (fixtureError) {
                    tally.fixtureErrors++;
                    record("FIXTURE ERROR", test, result, stackTrace(failure));
                }
                boolean leaky = kind == Kind.LEAK || kind == Kind.LEAK_ON_SHARED_THREAD
                        || (kind == Kind.LEAK_ONLY_THE_AGENT_SEES && agent);
                if (kind == Kind.LEAK_ONLY_THE_AGENT_SEES && !agent) {
                    tally.undetectable++;
                } else if (leaky) {
                    tally.leakyTotal++;
                    // Caught: failed with a report that lists one of its own sockets, not only another test's.
                    OpenedSockets.Record own = opened.get(test);
                    boolean ownReported = reports.stream().anyMatch(r -> r.items.stream().anyMatch(item -> owns(own, item)));
                    if (ownReported) {
                        tally.leakyCaught++;
                    } else if (kind == Kind.LEAK_ON_SHARED_THREAD && agent && mode == Mode.PARALLEL && inUnattributedNote(test)) {
                        tally.leakyUnattributed++;
                    } else if (!fixtureError) {
                        tally.missed++;
                        record("MISSED LEAK", test, result, (reports.isEmpty() ? "the leaky test passed"
                                : "the leaky test failed, but for none of its own sockets:\n" + reportsText(reports))
                                + "\n-- this round's notes and reports that list its sockets:\n" + notesListing(test)
                                + (own == null || own.diagnostics.isEmpty() ? "" : "\n-- " + String.join("\n-- ", own.diagnostics))
                                + "\n" + timeline(test));
                    }
                } else {
                    tally.cleanTotal++;
                    if (!reports.isEmpty()) {
                        tally.cleanFailed++;
                        boolean allNoted = reports.stream().allMatch(r -> r.overlapNote);
                        if (!allNoted) {
                            tally.cleanFailedWithoutNote++;
                        }
                        if (!blamesOverlapping || !allNoted) {
                            record("FALSE FAILURE", test, result, reportsText(reports) + "\n" + ownership(reports, test)
                                    + "\n" + timeline(test));
                        }
                    }
                }
                if (everyReport) {
                    for (Report report : reports) {
                        record("report", test, result, report.text + "\n-- read as " + report.type + ", blamed on "
                                + report.headlineTest + ", overlap note " + report.overlapNote + ", waited " + report.waitedMs
                                + " ms\n" + ownership(List.of(report), test));
                    }
                }
                if (blamesOverlapping) {
                    for (Report report : reports) {
                        if (!foreignItems(report, test).isEmpty()) {
                            tally.blamedForOthers++; // expected here: the note says it may happen
                        }
                    }
                } else {
                    for (Report report : reports) {
                        List<String> foreign = foreignItems(report, test);
                        if (!foreign.isEmpty()) {
                            tally.misattributed++;
                            record("MISATTRIBUTION", test, result, report.text + "\n-- blamed on " + test + " but not its own:\n"
                                    + String.join("\n", foreign) + "\n" + timeline(test));
                        }
                    }
                }
                for (Report note : notes.get(test)) {
                    if (note.type == Type.UNATTRIBUTED_NOTE) {
                        tally.unattributedNotes++;
                        details.printf("%n== note (unattributed) [%s, %s, round %d] while checking %s%n%s%n%s%n%s%n", mode.label,
                                agent ? "agent" : "no agent", round, test, note.text, ownership(List.of(note), test), timeline(test));
                    } else if (note.type == Type.OVERFLOW_WARNING) {
                        tally.overflowWarnings++;
                    } else if (note.type == Type.OTHER_TESTS_NOTE) {
                        tally.otherTestsNotes++;
                        details.printf("%n== note (other tests' leaks) [%s, %s, round %d] while checking %s%n%s%n",
                                mode.label, agent ? "agent" : "no agent", round, test, note.text);
                        if (!blamesOverlapping) {
                            List<String> foreign = foreignItemsOfNote(note);
                            if (!foreign.isEmpty()) {
                                tally.misattributed++;
                                record("MISATTRIBUTION (note)", test, result, note.text + "\n-- not the named test's own:\n"
                                        + String.join("\n", foreign) + "\n" + timeline(test));
                            }
                        }
                    } else {
                        details.printf("%n== published [%s, %s, round %d] for %s%n%s%n", mode.label,
                                agent ? "agent" : "no agent", round, test, note.text);
                    }
                }
                if (blamesOverlapping && window != null) {
                    for (Report report : reports) {
                        List<String> overlapped = certainlyOverlapped(test, report);
                        if (!overlapped.isEmpty()) {
                            tally.overlappedReports++;
                            if (!report.overlapNote) {
                                tally.overlapNotesMissing++;
                                record("OVERLAP NOTE MISSING", test, result, report.text + "\n-- its check certainly overlapped: "
                                        + overlapped + "\n" + timeline(test));
                            }
                        }
                    }
                }
                if (mode == Mode.SEQUENTIAL) {
                    for (Report report : reports) {
                        if (report.overlapNote) {
                            record("OVERLAP NOTE IN A SEQUENTIAL RUN", test, result, report.text);
                        }
                    }
                }
            }
        }

        /** Whether a note of this round wrote down one of {@code test}'s sockets as blamed on no test. */
        private boolean inUnattributedNote(String test) {
            OpenedSockets.Record own = opened.get(test);
            return notes.values().stream().flatMap(List::stream).filter(note -> note.type == Type.UNATTRIBUTED_NOTE)
                    .anyMatch(note -> note.items.stream().anyMatch(item -> owns(own, item)));
        }

        /** The items of a report blamed on {@code test} that are not among the sockets it opened, each with its owner. */
        private List<String> foreignItems(Report report, String test) {
            OpenedSockets.Record own = opened.get(test);
            List<String> foreign = new ArrayList<>();
            for (Item item : report.items) {
                if (!owns(own, item)) {
                    foreign.add(describe(item));
                } else if (item.originTests.stream().anyMatch(named -> named != null && !named.equals(test))) {
                    foreign.add(describe(item) + " (its own 4-tuple, but its opened-at line names another test)");
                }
            }
            return foreign;
        }

        /** The items of an other-tests note whose "opened at" test did not open them. */
        private List<String> foreignItemsOfNote(Report note) {
            List<String> foreign = new ArrayList<>();
            for (Item item : note.items) {
                List<String> named = item.originTests.stream().filter(t -> t != null).distinct().collect(Collectors.toList());
                if (named.isEmpty()) {
                    foreign.add(describe(item) + " (named no test)");
                }
                for (String test : named) {
                    if (!owns(opened.get(test), item)) {
                        foreign.add(describe(item) + " (named " + test + ")");
                    }
                }
            }
            return foreign;
        }

        private boolean owns(OpenedSockets.Record record, Item item) {
            if (record == null || !item.addressed()) {
                return record != null && !item.addressed()
                        && item.originTests.stream().allMatch(t -> record.test.equals(t)) && !item.originTests.isEmpty();
            }
            return item.remote == null ? record.ownsListener(item.local) : record.ownsTuple(item.local, item.remote);
        }

        private String describe(Item item) {
            String owner = !item.addressed() ? "unknown addresses" : ownerOf(item.local, item.remote);
            return "  " + item.line.trim() + "   <- opened by " + owner;
        }

        private String ownerOf(String local, String remote) {
            for (OpenedSockets.Record record : opened.values()) {
                if (remote == null ? record.ownsListener(local) : record.ownsTuple(local, remote)) {
                    return record.test;
                }
            }
            return "no fixture test of this round";
        }

        private String ownership(List<Report> reports, String test) {
            StringBuilder text = new StringBuilder("-- whose sockets:");
            for (Report report : reports) {
                for (Item item : report.items) {
                    text.append('\n').append(describe(item)).append(item.originTests.isEmpty() ? "" : "; opened-at names " + item.originTests);
                }
            }
            return text.toString();
        }

        /** The other tests whose check certainly overlapped this report's check. */
        private List<String> certainlyOverlapped(String test, Report report) {
            Windows.Window own = windows.get(test);
            long settled = report.waitedMs * 1_000_000;
            List<String> overlapped = new ArrayList<>();
            for (Windows.Window other : windows.values()) {
                if (other == own || other.innerEnd == 0 || own.innerEnd == 0) {
                    continue;
                }
                long otherSettled = leakReports.getOrDefault(other.test, List.of()).stream()
                        .mapToLong(r -> r.waitedMs).max().orElse(0) * 1_000_000;
                if (own.certainlyOverlaps(other, settled, otherSettled)) {
                    overlapped.add(other.test);
                }
            }
            return overlapped;
        }

        private String notesListing(String test) {
            OpenedSockets.Record own = opened.get(test);
            StringBuilder text = new StringBuilder();
            notes.forEach((checked, published) -> published.stream()
                    .filter(note -> note.items.stream().anyMatch(item -> owns(own, item)))
                    .forEach(note -> text.append("(note while checking ").append(checked).append(")\n").append(note.text).append('\n')));
            leakReports.forEach((checked, reports) -> reports.stream()
                    .filter(report -> report.items.stream().anyMatch(item -> owns(own, item)))
                    .forEach(report -> text.append("(blamed on ").append(checked).append(")\n").append(report.text).append('\n')));
            return text.length() == 0 ? "(none)" : text.toString();
        }

        /** Every check of the round, in ms from the round's first: outer bounds, and inner bounds. */
        private String timeline(String focus) {
            long origin = windows.values().stream().mapToLong(w -> w.outerBegin).filter(t -> t != 0).min().orElse(0);
            StringBuilder text = new StringBuilder("-- checks of this round (ms: outer begin [inner begin .. inner end] outer end;"
                    + " settle waited; when the harness closed what the test left open):");
            windows.values().stream().sorted((a, b) -> Long.compare(a.outerBegin, b.outerBegin)).forEach(w -> text.append(String.format(
                    "%n  %s %-55s %8.1f [%8.1f .. %8.1f] %8.1f; waited %d ms; closed %s; %s", w.test.equals(focus) ? "*" : " ", w.test,
                    (w.outerBegin - origin) / 1e6, (w.innerBegin - origin) / 1e6, (w.innerEnd - origin) / 1e6,
                    (w.outerEnd - origin) / 1e6,
                    leakReports.getOrDefault(w.test, List.of()).stream().mapToLong(r -> r.waitedMs).max().orElse(0),
                    opened.containsKey(w.test) && opened.get(w.test).closedAt != 0
                            ? String.format("%.1f", (opened.get(w.test).closedAt - origin) / 1e6) : "-",
                    recorder.results.containsKey(w.test) ? recorder.results.get(w.test).getStatus() : "?")));
            return text.toString();
        }

        private void record(String what, String test, TestExecutionResult result, String body) {
            details.printf("%n== %s [%s, %s, round %d, seed %d] %s: %s%n%s%n", what, mode.label, agent ? "agent" : "no agent",
                    round, seed, test, result.getStatus(), body);
        }

        private String reportsText(List<Report> reports) {
            return reports.stream().map(r -> r.text).collect(Collectors.joining("\n-- and --\n"));
        }
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
