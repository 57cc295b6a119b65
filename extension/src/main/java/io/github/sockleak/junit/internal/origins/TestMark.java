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

    /** Whether one more handover of this test may keep its stack: true for its first {@link #SUBMISSION_STACKS}. */
    boolean takeSubmissionStack() {
        // Read before counting: past the limit, a handover costs a read, not a contended write.
        return submissionStacks.get() < SUBMISSION_STACKS && submissionStacks.incrementAndGet() <= SUBMISSION_STACKS;
    }

    void end() {
        running = false;
    }

    @Override
    public String toString() {
        return name;
    }
}
