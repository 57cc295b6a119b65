package io.github.sockleak.junit.internal.origins;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which test the current thread works for. The extension marks the thread that runs a test. A thread created while
 * it runs inherits the mark, so a server thread the test starts, or a virtual thread, is attributed to it. A task
 * handed to a JDK executor carries the mark of the thread that submitted it to the thread that runs it, for the
 * task's duration ({@link TaskCarrier}): a pool's worker works for whichever test gave it the task at hand. The
 * task's {@link Handover} also says where it was submitted from.
 *
 * <p>A mark a pool's worker inherited when it was created is not used for a task: the pool was started by one test
 * and runs the work of others, or of none. A task submitted for no test runs with no mark.
 *
 * <p>A thread with no mark, or the mark of a test that has ended, is attributed to the only running check when there
 * is exactly one, as in a sequential run; with several running at once, to none. An ended mark is never used: a
 * thread started during one test and still working in the next would otherwise blame the first.
 */
public final class TestMarks {

    private static final InheritableThreadLocal<Object> CURRENT = new InheritableThreadLocal<>() {
        @Override
        protected Object childValue(Object parent) {
            return parent instanceof TestMark || parent instanceof Handover ? new Inherited(markOf(parent)) : parent;
        }
    };
    private static final Set<TestMark> RUNNING = ConcurrentHashMap.newKeySet();

    private TestMarks() {
    }

    /** Marks the current thread (and threads it starts from now on) as working for a new check of {@code name}. */
    public static Marking begin(String name) {
        TestMark mark = new TestMark(name);
        RUNNING.add(mark);
        Object previous = CURRENT.get();
        CURRENT.set(mark);
        return new Marking(mark, previous);
    }

    /** The running check the current thread works for, or null when that cannot be told. */
    static TestMark current() {
        TestMark mark = markOf(CURRENT.get());
        return mark != null && mark.isRunning() ? mark : soleRunning();
    }

    /**
     * What a task submitted now carries, or null: the running check the current thread works for, never an ended one.
     *
     * @param withStack whether to capture the submitting stack
     */
    static Handover toCarry(boolean withStack) {
        Object held = CURRENT.get();
        TestMark mark = markOf(held);
        return mark != null && mark.isRunning() ? Handover.of(mark, held instanceof Handover ? (Handover) held : null, withStack) : null;
    }

    /** The handover of the task the current thread runs, when it runs one for a running check; else null. */
    static Handover handover() {
        Object held = CURRENT.get();
        return held instanceof Handover && ((Handover) held).mark().isRunning() ? (Handover) held : null;
    }

    /**
     * Gives the current thread {@code task}'s mark (null: none) while it runs a task, and returns what to restore after
     * it, or {@code unchanged} when the thread had that already. A task without a mark keeps the mark of a thread that
     * set its own (a test's thread running a task itself, a task inside a task), but not one it inherited; a task
     * that a test's thread runs itself keeps the thread's own mark, with no handover.
     */
    static Object enterTask(Handover task, Object unchanged) {
        Object previous = CURRENT.get();
        if (task == null ? !(previous instanceof Inherited) : previous == task.mark() || previous == task) {
            return unchanged;
        }
        CURRENT.set(task);
        return previous;
    }

    /**
     * Gives the current thread exactly {@code task}'s mark (null: none), whatever it had, and returns what it had: for
     * a library's worker loop, which works for no test itself and runs each queued task for the test that queued it.
     */
    static Object enterExactly(Handover task) {
        Object previous = CURRENT.get();
        CURRENT.set(task);
        return previous;
    }

    /** Whether the current thread holds a mark of any kind, running or ended. */
    static boolean held() {
        return CURRENT.get() != null;
    }

    static void exitTask(Object previous) {
        CURRENT.set(previous);
    }

    private static TestMark markOf(Object held) {
        if (held instanceof Inherited) {
            return ((Inherited) held).mark;
        }
        return held instanceof Handover ? ((Handover) held).mark() : (TestMark) held;
    }

    private static TestMark soleRunning() {
        Iterator<TestMark> running = RUNNING.iterator();
        if (!running.hasNext()) {
            return null;
        }
        TestMark only = running.next();
        return running.hasNext() ? null : only;
    }

    /** A mark a thread got from the thread that created it, as opposed to one the test or a task set on it. */
    private static final class Inherited {
        private final TestMark mark;

        Inherited(TestMark mark) {
            this.mark = mark;
        }
    }

    /** A check's mark on the thread that began it; {@link #end()} on that same thread. */
    public static final class Marking {

        private final TestMark mark;
        private final Object previous;

        private Marking(TestMark mark, Object previous) {
            this.mark = mark;
            this.previous = previous;
        }

        public TestMark mark() {
            return mark;
        }

        /** Ends the check: its mark is no longer given to new sockets, and the thread gets its earlier mark back. */
        public void end() {
            mark.end();
            RUNNING.remove(mark);
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
