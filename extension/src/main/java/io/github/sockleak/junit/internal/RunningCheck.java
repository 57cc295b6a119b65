package io.github.sockleak.junit.internal;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import io.github.sockleak.junit.SocketLeakError;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import io.github.sockleak.junit.internal.origins.TestMark;
import io.github.sockleak.junit.internal.origins.TestMarks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One check from its baseline to its verdict, as the extension keeps it between a test's start and its end: the
 * baseline (or why there is none), the counters, the origin agent's mark for the test, and the other checks it
 * overlapped. The extension only has to hand the verdict to JUnit.
 */
public final class RunningCheck {

    private final String name;
    private final LeakSettings settings;
    private final Scope scope;
    private final Baseline baseline;
    private final OverflowBaseline overflowBaseline;
    private final SocketSnapshotException baselineFailure;
    private final ConcurrentChecks concurrency;
    private final SocketOrigins origins;
    private final TestMarks.Marking marking;
    private final PageName pageName;
    private final CheckTimeline timeline;

    private RunningCheck(String name, LeakSettings settings, Scope scope, ConcurrentChecks concurrency, OverflowBaseline overflowBaseline,
                         Baseline baseline, SocketSnapshotException baselineFailure, SocketOrigins origins,
                         TestMarks.Marking marking, PageName pageName, CheckTimeline timeline) {
        this.name = name;
        this.settings = settings;
        this.scope = scope;
        this.concurrency = concurrency;
        this.overflowBaseline = overflowBaseline;
        this.baseline = baseline;
        this.baselineFailure = baselineFailure;
        this.origins = origins;
        this.marking = marking;
        this.pageName = pageName;
        this.timeline = timeline;
    }

    /**
     * Where a kept timeline's page goes: {@code <directory>/<className>/<testName>.html}.
     *
     * @param className the test class's name
     * @param testName  the test's name, as a report names it
     */
    public record PageName(String className, String testName) {
    }

    /**
     * Takes the baseline. One that cannot be taken does not stop the test: its own outcome comes first, and the
     * check reports the failure after it.
     *
     * @param name          the test or class checked, as a report names it
     * @param marking       the agent's mark for the test, begun before this call; null when origins are not recorded
     * @param probeCounters whether a {@code SocketProbe} may ask for the counters' changes since the baseline
     * @param pageName      where the check's timeline page goes, when it is kept
     */
    public static RunningCheck start(String name, LeakSettings settings, Scope scope, SocketOrigins origins,
                                     TestMarks.Marking marking, boolean probeCounters, PageName pageName) {
        // The window in which other checks count as overlapping begins before anything is read.
        ConcurrentChecks concurrency = ConcurrentChecks.begin(name);
        // Before the baseline, which can then use the first sample's descriptor listing rather than list them again.
        CheckTimeline timeline = CheckTimeline.start(settings, name,
                scope == Scope.CLASS ? CheckTimeline.CLASS : CheckTimeline.BEFORE_EACH);
        Baseline baseline;
        try {
            baseline = baseline(settings, probeCounters, timeline.descriptorsAtStart());
        } catch (SocketSnapshotException e) {
            return new RunningCheck(name, settings, scope, concurrency, OverflowBaseline.unneeded(), null, e, origins,
                    marking, pageName, timeline);
        }
        return new RunningCheck(name, settings, scope, concurrency, overflowBaseline(settings, baseline, origins, probeCounters),
                baseline, null, origins, marking, pageName, timeline);
    }

    /**
     * This process's socket descriptors, when they are all known connections and no port is watched: then no table
     * is needed now, and none at the end unless a descriptor appeared. Otherwise, and for a {@code SocketProbe},
     * which offers the baseline snapshot, a table.
     *
     * @param listed the descriptors the timeline's first sample has just listed, if it did
     */
    private static Baseline baseline(LeakSettings settings, boolean probe, Optional<Set<Long>> listed) {
        if (settings.watchPorts().isEmpty() && !probe) {
            Set<Long> descriptors = listed.orElseGet(SocketDescriptors::now);
            if (SocketDescriptors.holdNoListener(descriptors)) {
                return Baseline.ofDescriptors(descriptors);
            }
        }
        return Baseline.of(learnedSnapshot(settings));
    }

    /**
     * The namespace's counters only where they mean something: on netlink the kernel counts drops per listener, and
     * on {@code /proc} a process that held no listener at the start needs them only once it binds one. A
     * {@code SocketProbe} offers them from the start.
     */
    private static OverflowBaseline overflowBaseline(LeakSettings settings, Baseline baseline, SocketOrigins origins,
                                                     boolean probe) {
        if (probe) {
            return OverflowBaseline.now();
        }
        if (baseline.snapshot().map(snapshot -> snapshot.source() == SnapshotSource.NETLINK).orElse(settings.readsNetlink())) {
            return OverflowBaseline.unneeded();
        }
        return baseline.snapshot().isEmpty() ? OverflowBaseline.atFirstListener(origins) : OverflowBaseline.now();
    }

    /**
     * A snapshot whose connections are remembered, so that a later check can do without a table. Learned at the
     * baseline only: learning lists this process's descriptors again, which a settle probe need not pay.
     */
    private static SocketSnapshot learnedSnapshot(LeakSettings settings) {
        SocketSnapshot snapshot = settings.snapshot();
        SocketDescriptors.learn(snapshot);
        return snapshot;
    }

    /** The test body began. */
    public void testStarted() {
        timeline.phase(CheckTimeline.TEST);
    }

    /** The test body ended: the {@code @AfterEach} methods come next. */
    public void testEnded() {
        timeline.phase(CheckTimeline.AFTER_EACH);
    }

    public LeakSettings settings() {
        return settings;
    }

    /** The baseline snapshot; empty when it could not be taken, or only descriptors were needed. */
    public Optional<SocketSnapshot> baseline() {
        return baseline == null ? Optional.empty() : baseline.snapshot();
    }

    /** The counters at the baseline; null when they could not be read, or were not needed. */
    public TcpCounters counters() {
        return overflowBaseline.counters().orElse(null);
    }

    /**
     * What the extension does with a finished check.
     *
     * @param leak  the error to fail the test with or to print, when there is something to report
     * @param fails whether {@code leak} fails the test rather than warns
     * @param notes what this check saw that is nobody's failure but must not be lost: other tests' leaks found
     *              after their checks ended, leaks no test can be blamed for
     */
    public record Verdict(Optional<SocketLeakError> leak, boolean fails, List<String> notes) {
    }

    /**
     * Ends the check with fresh snapshots, waiting up to the settle time, and ends the agent's mark for the test.
     *
     * @param parallelRun whether JUnit runs tests in parallel, which a class-scoped check cannot count
     * @param testFailure the test's own failure, if it failed: its timeline is kept too
     */
    public Verdict finish(boolean parallelRun, Optional<Throwable> testFailure) {
        try {
            timeline.phase(CheckTimeline.SETTLE);
            return verdict(parallelRun, testFailure);
        } finally {
            timeline.drop(); // a recording still running when the verdict failed is ended; nothing is kept
            overflowBaseline.end();
            concurrency.end();
            if (marking != null) {
                marking.end();
            }
        }
    }

    private Verdict verdict(boolean parallelRun, Optional<Throwable> testFailure) {
        boolean failMode = settings.mode() == Mode.FAIL;
        TestMark mark = marking == null ? null : marking.mark();
        LeakPolicy policy = new LeakPolicy(settings, origins, mark);
        LeakCheck.Outcome outcome;
        try {
            if (baselineFailure != null) {
                throw baselineFailure;
            }
            outcome = LeakCheck.settle(baseline, policy, settings.settle(), settings::snapshot);
        } catch (SocketSnapshotException e) {
            String when = e == baselineFailure ? "the baseline snapshot failed: " : "";
            return kept(new Verdict(Optional.of(new SocketLeakError("sockleak: could not check " + name + " for leaks: "
                    + when + e.getMessage())), failMode, new ArrayList<>()), timeline.stop(), testFailure);
        }
        List<String> overlapped = concurrency.end(); // after the last probe: a check's window is all of it
        boolean othersRan = !overlapped.isEmpty() || (scope == Scope.CLASS && parallelRun);

        LeakFindings found = outcome.findings();
        // With the agent, a socket or queue no check can be told to own is not pinned on this one when others ran beside it.
        boolean setApart = origins.isRecording() && othersRan;
        List<TcpSocket> unattributed = setApart
                ? found.leaked().stream().filter(socket -> policy.openedFor(socket).isEmpty()).collect(Collectors.toList())
                : List.of();
        List<LeakFindings.AcceptQueueLeak> unattributedQueues = setApart
                ? found.acceptQueues().stream().filter(queue -> policy.openedFor(queue.listener().socket()).isEmpty()).collect(Collectors.toList())
                : List.of();
        List<TcpSocket> leaked = new ArrayList<>(found.leaked());
        leaked.removeAll(unattributed);
        List<LeakFindings.AcceptQueueLeak> acceptQueues = new ArrayList<>(found.acceptQueues());
        acceptQueues.removeAll(unattributedQueues);
        List<AbandonedSocket> abandoned = mark == null ? new ArrayList<>() : origins.abandonedBy(mark).stream()
                .filter(socket -> !socket.usesAnyOf(settings.ignorePorts()))
                .filter(socket -> leaked.stream().noneMatch(socket::is)) // seen in the kernel before it was collected
                .collect(Collectors.toCollection(ArrayList::new));
        IgnoredOpeners ignoring = new IgnoredOpeners(settings.ignoreOpenedBy(), origins);
        Map<TcpSocket, String> ignoredSockets = takeIgnored(leaked, ignoring::of);
        Map<LeakFindings.AcceptQueueLeak, String> ignoredQueues = takeIgnored(acceptQueues, ignoring::of);
        Map<AbandonedSocket, String> ignoredAbandoned = takeIgnored(abandoned, ignoring::of);
        LeakFindings findings = new LeakFindings(leaked, acceptQueues, found.otherTests(), abandoned);

        List<String> notes = notes(findings, new LeakFindings(unattributed, unattributedQueues, List.of()), overlapped,
                outcome.lastProbeStartedNanos());
        ignoring.cannotApply(settings.originStacks()).ifPresent(notes::add);
        if (!ignoredSockets.isEmpty() || !ignoredQueues.isEmpty() || !ignoredAbandoned.isEmpty()) {
            notes.add(LeakReport.ignored(name, ignoredSockets, ignoredQueues, ignoredAbandoned));
        }
        if (overflowBaseline.end()) {
            HandshakeDrops.uncounted(name, outcome.after(), settings.ignorePorts()).ifPresent(notes::add);
        }
        Optional<String> overflows = HandshakeDrops.during(baseline, overflowBaseline.counters().orElse(null), outcome.after(),
                settings.ignorePorts());
        boolean clean = findings.isEmpty() && overflows.isEmpty();
        // The settle ran to its verdict: the recording is whole, or, not kept, dropped without its last sample.
        CheckTimeline.Recorded recorded = clean && !timeline.keeps(testFailure.isPresent()) ? timeline.drop() : timeline.stop();
        if (clean) {
            return kept(new Verdict(Optional.empty(), false, notes), recorded, testFailure);
        }
        Optional<String> concurrentNote = !othersRan || allOpenedByThisCheck(findings, policy, mark)
                ? Optional.empty()
                : Optional.of(LeakReport.concurrentNote(overlapped));
        String message = LeakReport.format(name, settings, outcome, findings, overflows, concurrentNote, origins, recorded);
        boolean fails = failMode && (!findings.isEmpty() || settings.failOnListenOverflows());
        SocketLeakError error = new SocketLeakError(message, findings.leaked(),
                findings.acceptQueues().stream().map(LeakFindings.AcceptQueueLeak::listener).collect(Collectors.toList()),
                findings.abandoned().size());
        return kept(new Verdict(Optional.of(error), fails, notes), recorded, testFailure);
    }

    /**
     * The verdict with its timeline kept, when it is: the page written, and its path at the end of the report, or in
     * a note when the test failed by itself without a leak. A recording or a page that failed adds a note.
     */
    private Verdict kept(Verdict verdict, CheckTimeline.Recorded recorded, Optional<Throwable> testFailure) {
        List<String> notes = new ArrayList<>(verdict.notes());
        recorded.note().ifPresent(notes::add);
        if (recorded.timeline().isEmpty() || !timeline.keeps(testFailure.isPresent() || verdict.leak().isPresent())) {
            return new Verdict(verdict.leak(), verdict.fails(), notes);
        }
        CheckTimeline.Page page = timeline.writePage(recorded.timeline().get(), pageName.className(), pageName.testName(),
                verdictLine(verdict, testFailure));
        page.note().ifPresent(notes::add);
        if (page.path().isEmpty()) {
            return new Verdict(verdict.leak(), verdict.fails(), notes);
        }
        Optional<SocketLeakError> leak = verdict.leak().map(error -> new SocketLeakError(
                LeakReport.withTimelinePage(error.getMessage(), page.path().get()), error.leakedSockets(),
                error.leakingListeners(), error.collectedUnclosed()));
        if (leak.isEmpty() && testFailure.isPresent()) {
            notes.add(LeakReport.timelinePageOf(name, page.path().get()));
        }
        return new Verdict(leak, verdict.fails(), notes);
    }

    /** The verdict in a few words for the page: the test's own failure first, then the leak's headline. */
    private static String verdictLine(Verdict verdict, Optional<Throwable> testFailure) {
        if (testFailure.isPresent()) {
            Throwable failure = testFailure.get();
            return "failed: " + (failure.getMessage() == null ? failure.getClass().getName() : firstLine(failure.getMessage()));
        }
        return verdict.leak().map(leak -> (verdict.fails() ? "failed: " : "warned: ") + firstLine(leak.getMessage()))
                .orElse("passed");
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    /**
     * What this check found that is not its own leak, written down so that it is not lost: other tests' leaks found
     * after their checks ended (the leaks they would have failed with), and leaks that no test can be blamed for.
     * Another test's socket counts as left behind only if that test's check had ended before the probe that saw it
     * began: one that ended meanwhile may have closed it after the kernel's table was read, and its own check judged it.
     */
    private List<String> notes(LeakFindings findings, LeakFindings unattributed, List<String> overlapped, long probeStarted) {
        List<String> notes = new ArrayList<>();
        List<TcpSocket> orphaned = findings.otherTests().stream()
                .filter(socket -> origins.openings(socket).findFirst()
                        .map(origin -> origin.test() != null && origin.test().endedBefore(probeStarted)).orElse(false))
                .collect(Collectors.toList());
        List<AbandonedSocket> abandonedByEnded = origins.abandonedByEndedTests().stream()
                .filter(socket -> !socket.usesAnyOf(settings.ignorePorts()))
                .collect(Collectors.toList());
        if (!orphaned.isEmpty() || !abandonedByEnded.isEmpty()) {
            notes.add(LeakReport.othersLeaks(name, orphaned, abandonedByEnded, origins));
        }
        if (!unattributed.isEmpty()) {
            notes.add(LeakReport.unattributed(name, unattributed, overlapped, origins));
        }
        return notes;
    }

    /** Removes from {@code leaks} those that {@code ignoring} lets pass, and returns them with the name they passed through. */
    private static <T> Map<T, String> takeIgnored(List<T> leaks, Function<T, Optional<String>> ignoring) {
        Map<T, String> ignored = new LinkedHashMap<>();
        for (Iterator<T> each = leaks.iterator(); each.hasNext(); ) {
            T leak = each.next();
            Optional<String> name = ignoring.apply(leak);
            if (name.isPresent()) {
                ignored.put(leak, name.get());
                each.remove();
            }
        }
        return ignored;
    }

    /** Whether the agent saw this check open every socket it blames, so that parallel tests cannot have been mixed up. */
    private static boolean allOpenedByThisCheck(LeakFindings findings, LeakPolicy policy, TestMark mark) {
        return mark != null
                && findings.acceptQueues().stream().allMatch(queue -> openedBy(queue.listener().socket(), policy, mark))
                && findings.leaked().stream().allMatch(socket -> openedBy(socket, policy, mark));
    }

    private static boolean openedBy(TcpSocket socket, LeakPolicy policy, TestMark mark) {
        return policy.openedFor(socket).filter(test -> test == mark).isPresent();
    }
}
