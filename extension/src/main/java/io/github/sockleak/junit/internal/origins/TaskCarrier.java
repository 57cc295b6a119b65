package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.junit.internal.bootstrap.TaskEvents;

/**
 * Carries test marks with the tasks handed to executors, for the advice in the JDK's executors ({@link TaskEvents}).
 *
 * <p>Loaded only after {@link TaskEvents} is in the bootstrap class loader: it extends that class, and must extend
 * the bootstrap copy that the advice calls.
 */
final class TaskCarrier extends TaskEvents {

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

    @Override
    protected Object markToCarry() {
        return TestMarks.toCarry();
    }

    @Override
    protected Object enter(Object mark, Object unchanged) {
        return TestMarks.enterTask((TestMark) mark, unchanged);
    }

    @Override
    protected void restore(Object previous) {
        TestMarks.exitTask(previous);
    }
}
