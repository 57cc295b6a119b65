package io.github.sockleak.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Probes until a condition holds or a deadline passes. The first probe is immediate, so a condition that
 * already holds costs nothing; then the pauses double from 1 ms up to 100 ms, since the kernel usually settles
 * within a few milliseconds on loopback but a busy machine can take much longer.
 *
 * <p>A failed answer counts only from a probe that began at or after the deadline. A slow probe that began before
 * it describes a moment when there was still time to settle: it is followed by one more probe, which decides. So
 * that this costs one probe past the deadline, not two, a probe that would still be running at the deadline (as
 * long as the last one took) is not begun: the pause runs to the deadline instead, and the deciding probe begins
 * there.
 */
public final class Polling {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Polling() {
    }

    /**
     * The outcome.
     *
     * @param value     the last value probed
     * @param satisfied whether it satisfied the condition
     * @param waited    from the start to the beginning of the probe that gave {@code value}
     * @param lastProbe how long that probe took
     */
    public record Result<T>(T value, boolean satisfied, Duration waited, Duration lastProbe) {
    }

    public static <T> Result<T> until(Supplier<T> probe, Predicate<? super T> condition, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            long probeStart = System.nanoTime();
            T value = probe.get();
            long now = System.nanoTime();
            Result<T> result = new Result<>(value, condition.test(value), Duration.ofNanos(probeStart - start),
                    Duration.ofNanos(now - probeStart));
            if (result.satisfied() || probeStart - deadline >= 0) {
                return result;
            }
            if (now - deadline < 0) {
                long cost = now - probeStart;
                boolean nextWouldOutlastDeadline = now + pause + cost - deadline > 0;
                pauseUntil(nextWouldOutlastDeadline ? deadline : now + pause);
                pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return result;
            }
        }
    }

    /** Parks until {@code nanoTime}, through early returns, or until interrupted. */
    private static void pauseUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
        }
    }
}
