package io.github.sockleak.junit.internal.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge between advice inlined into the JDK's executors and the test marks, which live in the application class
 * loader; on the bootstrap class path like {@link SocketEvents}, and under the same rules: reference nothing but
 * {@code java.base}, never throw, cost next to nothing when nobody listens.
 *
 * <p>A task handed to an executor carries the mark current at that moment, if any, to the thread that runs it. The
 * mark is kept beside the task, by the task's identity, rather than by wrapping the task: a wrapper would not be
 * {@code equal} to what the application holds, and {@code remove(task)} or a queue's lookup would miss it. The
 * entry is taken when the task starts, and its key is weak, so a task that never runs (cancelled, rejected) is not
 * kept alive by it either.
 */
public abstract class TaskEvents {

    /** What {@link #starting} returns when it changed nothing, so that {@link #finished} has nothing to restore. */
    private static final Object UNCHANGED = new Object();
    /** The mark of a task that two tests submitted before it ran: it runs for neither. */
    private static final Object EITHER = new Object();

    private static final ConcurrentHashMap<TaskKey, Object> CARRIED = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

    private static volatile TaskEvents listener;

    protected TaskEvents() {
    }

    /** Makes {@code events} the only listener; {@code null} stops propagation. */
    public static void listen(TaskEvents events) {
        listener = events;
    }

    /**
     * Called by advice where a task is handed to an executor: remembers the submitting thread's mark for it. One task
     * object handed over again before it ran, by another test (a library's shared worker loop, say, that runs whatever
     * work is queued), carries neither's: which test's work it will do is not known here.
     */
    public static void submitted(Object task) {
        TaskEvents events = listener;
        if (events == null || task == null) {
            return;
        }
        try {
            Object mark = events.markToCarry();
            if (mark != null) {
                expungeCollected();
                CARRIED.merge(new TaskKey(task, COLLECTED), mark,
                        (earlier, now) -> earlier != EITHER && events.sameTest(earlier, now) ? earlier : EITHER);
            }
        } catch (Throwable ignored) {
            // Propagation is best effort: the application's submit must go on as if nothing was here.
        }
    }

    /**
     * Called by advice on the thread that is about to run {@code task}: gives the thread the task's mark, or none
     * when it was submitted for no test. Returns what {@link #finished} restores after the task.
     */
    public static Object starting(Object task) {
        TaskEvents events = listener;
        if (events == null) {
            return UNCHANGED;
        }
        try {
            // isEmpty first: the lookup allocates a key, which a pool running nobody's work should not pay for.
            Object mark = CARRIED.isEmpty() ? null : CARRIED.remove(new TaskKey(task, null));
            return events.enter(mark == EITHER ? null : mark, UNCHANGED);
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /**
     * Called by advice where a library's worker loop starts: the thread works for no test in the loop, whatever mark it
     * inherited or its own task carried, until {@link #finished} with what this returns. Each task the loop runs
     * gets its own mark through {@link #takingUp} and gives it up through {@link #doneWith}.
     */
    public static Object forNoTest() {
        TaskEvents events = listener;
        if (events == null) {
            return UNCHANGED;
        }
        try {
            return events.enterExactly(null);
        } catch (Throwable ignored) {
            return UNCHANGED;
        }
    }

    /** Called by advice where a library's worker loop (see {@link #forNoTest}) takes up {@code task}: its mark, or none. */
    public static void takingUp(Object task) {
        TaskEvents events = listener;
        if (events == null || CARRIED.isEmpty() && !events.hasMark()) {
            return;
        }
        try {
            Object mark = CARRIED.remove(new TaskKey(task, null));
            events.enterExactly(mark == EITHER ? null : mark);
        } catch (Throwable ignored) {
            // Propagation is best effort.
        }
    }

    /** Called by advice where a library's worker loop is done with a task: back to no test. */
    public static void doneWith() {
        TaskEvents events = listener;
        if (events == null || !events.hasMark()) {
            return;
        }
        try {
            events.enterExactly(null);
        } catch (Throwable ignored) {
            // Propagation is best effort.
        }
    }

    /** Called by advice after the task, with what {@link #starting} returned, also when the task threw. */
    public static void finished(Object previous) {
        TaskEvents events = listener;
        if (events == null || previous == UNCHANGED) {
            return;
        }
        try {
            events.restore(previous);
        } catch (Throwable ignored) {
            // Same as above: never let the marks change what the task does.
        }
    }

    /**
     * What a call in the JDK's worker loop is replaced with: {@code task.run()} between {@link #starting} and
     * {@link #finished}. The task's exceptions pass through unchanged.
     */
    public static void run(Runnable task) {
        Object previous = starting(task);
        try {
            task.run();
        } finally {
            finished(previous);
        }
    }

    /** How many tasks carry a mark that has not been taken yet (tests look at it to see that none is kept). */
    public static int carried() {
        expungeCollected();
        return CARRIED.size();
    }

    private static void expungeCollected() {
        for (Object key; (key = COLLECTED.poll()) != null; ) {
            CARRIED.remove(key);
        }
    }

    /** The current thread's mark if a task submitted now should carry it, else null. */
    protected abstract Object markToCarry();

    /**
     * Makes {@code mark} (null: none) the current thread's for a task, and returns the thread's earlier state, or
     * {@code unchanged} when there was nothing to change.
     */
    protected abstract Object enter(Object mark, Object unchanged);

    /** Makes {@code mark} (null: none) the current thread's, whatever it had, and returns what it had. */
    protected abstract Object enterExactly(Object mark);

    /** Whether the current thread holds any mark at all: else a loop's thread has nothing to give up. */
    protected abstract boolean hasMark();

    /** Gives the thread back the state {@link #enter} returned. */
    protected abstract void restore(Object previous);

    /** Whether two marks remembered for one task, {@code earlier} and {@code now}, are the same test's. */
    protected abstract boolean sameTest(Object earlier, Object now);

    /** A task by identity, weakly: {@code equals} and {@code hashCode} of the application's tasks are never called. */
    private static final class TaskKey extends WeakReference<Object> {

        private final int hash;

        TaskKey(Object task, ReferenceQueue<Object> queue) {
            super(task, queue);
            this.hash = System.identityHashCode(task);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof TaskKey)) {
                return false;
            }
            Object task = get();
            return task != null && task == ((TaskKey) other).get();
        }
    }
}
