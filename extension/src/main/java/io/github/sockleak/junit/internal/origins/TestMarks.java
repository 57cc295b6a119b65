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

    /** The running check the current thread works for, or null when that cannot be told. */
    static TestMark current() {
        TestMark mark = CURRENT.get();
        if (mark != null && mark.isRunning()) {
            return mark;
        }
        return soleRunning();
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
