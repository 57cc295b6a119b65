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
 */
public final class Polling {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Polling() {
    }

    /** The outcome: the last value probed, whether it satisfied the condition, and how long it took. */
    public record Result<T>(T value, boolean satisfied, Duration waited) {
    }

    public static <T> Result<T> until(Supplier<T> probe, Predicate<? super T> condition, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            T value = probe.get();
            if (condition.test(value)) {
                return new Result<>(value, true, Duration.ofNanos(System.nanoTime() - start));
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return new Result<>(value, false, Duration.ofNanos(now - start));
            }
            LockSupport.parkNanos(Math.min(pause, deadline - now));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return new Result<>(value, false, Duration.ofNanos(System.nanoTime() - start));
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }
}
