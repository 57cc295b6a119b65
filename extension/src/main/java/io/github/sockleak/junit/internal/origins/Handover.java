package io.github.sockleak.junit.internal.origins;

/**
 * A test's mark as a task carries it from the thread that handed the task to an executor: the test, the submitting
 * thread, and the stack of the submission, which a leak report shows as "submitted at" under the opening stack.
 *
 * <p>A task handed over by another task keeps the first handover of the chain too, the one made on a thread that
 * was not running a carried task (usually the test's own): there the test's frames are, while the later handovers
 * are often a library's alone (a Netty channel's registration handing its connect to the event loop). Two at most,
 * so that a periodic task that hands itself over at every run holds no growing chain.
 */
final class Handover {

    private final TestMark mark;
    private final String thread;
    private final Throwable stack;
    private final Handover first;

    private Handover(TestMark mark, String thread, Throwable stack, Handover first) {
        this.mark = mark;
        this.thread = thread;
        this.stack = stack;
        this.first = first;
    }

    /**
     * A handover of {@code mark} by the current thread, which runs {@code within}'s task or none.
     *
     * @param withStack whether to capture the submitting stack ({@code sockleak.originStacks}); only the test's first
     *                  {@link TestMark#SUBMISSION_STACKS} handovers do
     */
    static Handover of(TestMark mark, Handover within, boolean withStack) {
        Handover first = within == null ? null : within.first != null ? within.first : within;
        // A Throwable, as for a socket's opening: the JVM fills in its frames cheaply, and they are turned into
        // StackTraceElements only if a leak report shows them.
        Throwable stack = withStack && mark.takeSubmissionStack() ? new Throwable("task submitted") : null;
        return new Handover(mark, Thread.currentThread().getName(), stack, first);
    }

    TestMark mark() {
        return mark;
    }

    /** The name of the thread that handed the task over. */
    String thread() {
        return thread;
    }

    /** Where the task was handed over, or null when stacks are not recorded. */
    Throwable stack() {
        return stack;
    }

    /** The first handover of the chain, when this one was made by a task; else null. */
    Handover first() {
        return first;
    }
}
