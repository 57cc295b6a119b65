package io.github.sockleak.junit.internal;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import io.github.sockleak.junit.SocketLeakError;
import io.github.sockleak.junit.internal.origins.TestMark;
import io.github.sockleak.junit.internal.origins.TestMarks;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One check from its baseline to its verdict, as the extension keeps it between a test's start and its end: the
 * baseline (or why there is none), the counters, the origin agent's mark for the test, and how many other checks
 * it overlapped. The extension only has to hand the verdict to JUnit.
 */
public final class RunningCheck {

    private final LeakSettings settings;
    private final Scope scope;
    private final SocketSnapshot baseline;
    private final TcpCounters counters;
    private final SocketSnapshotException baselineFailure;
    private final ConcurrentChecks concurrency;
    private final SocketOrigins origins;
    private final TestMarks.Marking marking;

    private RunningCheck(LeakSettings settings, Scope scope, SocketSnapshot baseline, TcpCounters counters,
                         SocketSnapshotException baselineFailure, SocketOrigins origins, TestMarks.Marking marking) {
        this.settings = settings;
        this.scope = scope;
        this.baseline = baseline;
        this.counters = counters;
        this.baselineFailure = baselineFailure;
        this.concurrency = scope == Scope.TEST ? ConcurrentChecks.begin() : null;
        this.origins = origins;
        this.marking = marking;
    }

    /**
     * Takes the baseline. One that cannot be taken does not stop the test: its own outcome comes first, and the
     * check reports the failure after it.
     *
     * @param marking the agent's mark for the test, begun before this call; null when origins are not recorded
     */
    public static RunningCheck start(LeakSettings settings, Scope scope, SocketOrigins origins, TestMarks.Marking marking) {
        TcpCounters counters = countersNow().orElse(null); // before the snapshot, as the check's window begins
        try {
            return new RunningCheck(settings, scope, settings.snapshot(), counters, null, origins, marking);
        } catch (SocketSnapshotException e) {
            return new RunningCheck(settings, scope, null, null, e, origins, marking);
        }
    }

    public LeakSettings settings() {
        return settings;
    }

    /** The baseline snapshot; empty when it could not be taken. */
    public Optional<SocketSnapshot> baseline() {
        return Optional.ofNullable(baseline);
    }

    /** The counters at the baseline; null when they could not be read. */
    public TcpCounters counters() {
        return counters;
    }

    /**
     * Ends the check with fresh snapshots, waiting up to the settle time, and ends the agent's mark for the test.
     *
     * @param test        the test's name for the report
     * @param parallelRun whether JUnit runs tests in parallel, which a class-scoped check cannot count
     */
    public Verdict finish(String test, boolean parallelRun) {
        try {
            return verdict(test, parallelRun);
        } finally {
            if (marking != null) {
                marking.end();
            }
        }
    }

    /**
     * What the extension does with a finished check.
     *
     * @param leak        the error to fail the test with or to print, when there is something to report
     * @param fails       whether {@code leak} fails the test rather than warns
     * @param othersLeaks another test's leak this check found after that test's own check had ended, which would be
     *                    lost if it were not written down here
     */
    public record Verdict(Optional<SocketLeakError> leak, boolean fails, Optional<String> othersLeaks) {
    }

    private Verdict verdict(String test, boolean parallelRun) {
        int concurrent = concurrency == null ? 0 : concurrency.end();
        boolean failMode = settings.mode() == Mode.FAIL;
        if (baselineFailure != null) {
            return new Verdict(Optional.of(new SocketLeakError("sockleak: could not check " + test
                    + " for leaks: the baseline snapshot failed: " + baselineFailure.getMessage())), failMode, Optional.empty());
        }
        LeakCheck.Outcome outcome;
        try {
            LeakPolicy policy = new LeakPolicy(settings, origins, marking == null ? null : marking.mark());
            outcome = LeakCheck.settle(baseline, policy, settings.settle(), settings::snapshot);
        } catch (SocketSnapshotException e) {
            return new Verdict(Optional.of(new SocketLeakError("sockleak: could not check " + test + " for leaks: "
                    + e.getMessage())), failMode, Optional.empty());
        }
        Optional<String> othersLeaks = othersLeaks(test, outcome.findings());
        Optional<TcpCounters> counterChanges = counterChanges();
        boolean overflowed = counterChanges.flatMap(LeakReport::overflows).isPresent();
        if (outcome.findings().isEmpty() && !overflowed) {
            return new Verdict(Optional.empty(), false, othersLeaks);
        }
        boolean othersRan = concurrent > 0 || (scope == Scope.CLASS && parallelRun);
        Optional<String> concurrentNote = !othersRan || allOpenedByThisCheck(outcome.findings())
                ? Optional.empty()
                : Optional.of("Other tests ran at the same time" + (concurrent > 0 ? " (" + concurrent + " checked ones)" : "")
                        + ": the kernel cannot tell which test opened a socket, so this one may be blamed for theirs.");
        String message = LeakReport.format(test, settings, outcome, counterChanges, concurrentNote, origins);
        boolean fails = failMode && (!outcome.findings().isEmpty() || settings.failOnListenOverflows());
        return new Verdict(Optional.of(new SocketLeakError(message)), fails, othersLeaks);
    }

    /**
     * Another test's leak found by this check: when that test's check still runs, it finds the socket itself;
     * when it has ended, the leak would be lost, so this check writes it down, without failing its own test.
     */
    private Optional<String> othersLeaks(String test, LeakFindings findings) {
        List<TcpSocket> orphaned = findings.otherTests().stream()
                .filter(socket -> origins.of(socket).or(() -> origins.peerOf(socket))
                        .map(origin -> origin.test() != null && !origin.test().isRunning()).orElse(false))
                .collect(Collectors.toList());
        return orphaned.isEmpty() ? Optional.empty() : Optional.of(LeakReport.othersLeaks(test, orphaned, origins));
    }

    /** Whether the agent saw this check open every socket it blames, so that parallel tests cannot have been mixed up. */
    private boolean allOpenedByThisCheck(LeakFindings findings) {
        if (marking == null) {
            return false;
        }
        TestMark mark = marking.mark();
        return findings.acceptQueues().isEmpty() && findings.leaked().stream()
                .allMatch(socket -> origins.of(socket).map(origin -> origin.test() == mark).orElse(false));
    }

    private Optional<TcpCounters> counterChanges() {
        return counters == null ? Optional.empty() : countersNow().map(now -> now.since(counters));
    }

    /** The namespace's counters now; empty when they cannot be read: the socket check stands on its own, counters only add to it. */
    private static Optional<TcpCounters> countersNow() {
        try {
            return Optional.of(Sockets.counters());
        } catch (SocketSnapshotException e) {
            return Optional.empty();
        }
    }
}
