package io.github.sockleak.junit.internal.origins;

import java.util.concurrent.atomic.AtomicInteger;

/** A leak check in progress: the test (or class) that sockets opened now are attributed to. Compared by identity. */
public final class TestMark {

    /**
     * How many of a test's task handovers keep their stack for a "submitted at" block. A stack costs 1 to 5 µs, 10 to
     * 30 times the rest of a handover, and a test that feeds a pool thousands of tasks would pay it for each; the
     * first handovers are the test's own, after which the opening stack still shows where a socket was opened.
     */
    static final int SUBMISSION_STACKS = 1_000;

    private final String name;
    private final AtomicInteger submissionStacks = new AtomicInteger();
    private volatile boolean running = true;
    /** When its check ended ({@link System#nanoTime()}); written before {@link #running} is cleared. */
    private volatile long endedNanos;

    TestMark(String name) {
        this.name = name;
    }

    /** The test as people know it: {@code OrderServiceIT.closes()}. */
    public String name() {
        return name;
    }

    /** Whether its check has not ended yet. */
    public boolean isRunning() {
        return running;
    }

    /**
     * Whether its check had ended before {@code nanos} (a {@link System#nanoTime()}): a socket of this test that a
     * probe begun then still saw was left behind by it. One whose check ended during the probe may have been closed
     * before that end, after the kernel's table was read.
     */
    public boolean endedBefore(long nanos) {
        return !running && endedNanos - nanos < 0;
    }

    /** Whether one more handover of this test may keep its stack: true for its first {@link #SUBMISSION_STACKS}. */
    boolean takeSubmissionStack() {
        // Read before counting: past the limit, a handover costs a read, not a contended write.
        return submissionStacks.get() < SUBMISSION_STACKS && submissionStacks.incrementAndGet() <= SUBMISSION_STACKS;
    }

    void end() {
        endedNanos = System.nanoTime();
        running = false;
    }

    @Override
    public String toString() {
        return name;
    }
}
