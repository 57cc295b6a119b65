package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.junit.internal.bootstrap.TaskEvents;

/**
 * Carries test marks with the tasks handed to executors, for the advice in the JDK's executors ({@link TaskEvents}).
 *
 * <p>Loaded only after {@link TaskEvents} is in the bootstrap class loader: it extends that class, and must extend
 * the bootstrap copy that the advice calls.
 */
final class TaskCarrier extends TaskEvents {

    /** Whether a task carrying a mark also keeps where it was submitted from ({@code sockleak.originStacks}). */
    private static volatile boolean submissionStacks = true;

    private TaskCarrier() {
    }

    /** Starts carrying marks with tasks. */
    static void register() {
        if (TaskEvents.class.getClassLoader() != null) {
            throw new IllegalStateException(TaskEvents.class.getName() + " was loaded by " + TaskEvents.class.getClassLoader()
                    + " instead of the bootstrap class loader, so the JDK's executors cannot carry test marks");
        }
        listen(new TaskCarrier());
    }

    static void recordStacks(boolean stacks) {
        submissionStacks = stacks;
    }

    @Override
    protected Object markToCarry() {
        return TestMarks.toCarry(submissionStacks);
    }

    @Override
    protected Object enter(Object mark, Object unchanged) {
        return TestMarks.enterTask((Handover) mark, unchanged);
    }

    @Override
    protected Object enterExactly(Object mark) {
        return TestMarks.enterExactly((Handover) mark);
    }

    @Override
    protected boolean hasMark() {
        return TestMarks.held();
    }

    @Override
    protected void restore(Object previous) {
        TestMarks.exitTask(previous);
    }

    @Override
    protected boolean sameTest(Object earlier, Object now) {
        return ((Handover) earlier).mark() == ((Handover) now).mark();
    }
}
