package io.github.sockleak.junit.internal.origins;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which test the current thread works for. The extension marks the thread that runs a test; threads created
 * while it runs inherit the mark, so a server thread the test starts is attributed to it.
 *
 * <p>Threads that existed before the test (a pool created earlier, JUnit's own workers) carry no mark or the
 * mark of a test that has ended. An ended mark is never used: a pool created during one test and reused by the
 * next would otherwise blame the first. Such threads are attributed to the only running check when there is
 * exactly one, as in a sequential run; with several running at once, to none.
 *
 * <p>An inherited mark is not trusted on a pool's worker either while several checks run: a pool started by one
 * test runs the work other tests submit to it, and which test a task came from is not known here. A socket it
 * opens then belongs to no test, rather than to the wrong one.
 */
public final class TestMarks {

    private static final InheritableThreadLocal<TestMark> CURRENT = new InheritableThreadLocal<>();
    private static final Set<TestMark> RUNNING = ConcurrentHashMap.newKeySet();

    private TestMarks() {
    }

    /** Marks the current thread (and threads it starts from now on) as working for a new check of {@code name}. */
    public static Marking begin(String name) {
        TestMark mark = new TestMark(name);
        RUNNING.add(mark);
        TestMark previous = CURRENT.get();
        CURRENT.set(mark);
        return new Marking(mark, previous);
    }

    /**
     * The running check the current thread works for, or null when that cannot be told.
     *
     * @param stack the caller's stack, or null: looked at only for an inherited mark while several checks run
     */
    static TestMark current(Throwable stack) {
        TestMark mark = CURRENT.get();
        if (mark == null || !mark.isRunning()) {
            return soleRunning();
        }
        if (mark.isOwnThread() || RUNNING.size() < 2 || !runsPoolWork(stack != null ? stack : new Throwable())) {
            return mark;
        }
        return null;
    }

    /** Whether the stack passes through the worker loop of a JDK thread pool. */
    private static boolean runsPoolWork(Throwable stack) {
        for (StackTraceElement frame : stack.getStackTrace()) {
            String type = frame.getClassName();
            if (type.equals("java.util.concurrent.ThreadPoolExecutor") && frame.getMethodName().equals("runWorker")
                    || type.equals("java.util.concurrent.ForkJoinWorkerThread")) {
                return true;
            }
        }
        return false;
    }

    private static TestMark soleRunning() {
        Iterator<TestMark> running = RUNNING.iterator();
        if (!running.hasNext()) {
            return null;
        }
        TestMark only = running.next();
        return running.hasNext() ? null : only;
    }

    /** A check's mark on the thread that began it; {@link #end()} on that same thread. */
    public static final class Marking {

        private final TestMark mark;
        private final TestMark previous;

        private Marking(TestMark mark, TestMark previous) {
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
