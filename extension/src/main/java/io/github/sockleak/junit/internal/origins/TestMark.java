package io.github.sockleak.junit.internal.origins;

/** A leak check in progress: the test (or class) that sockets opened now are attributed to. Compared by identity. */
public final class TestMark {

    private final String name;
    /** The thread that runs the test, which set the mark itself; other threads inherited it. */
    private final long threadId;
    private volatile boolean running = true;

    TestMark(String name) {
        this.name = name;
        this.threadId = Thread.currentThread().getId();
    }

    /** The test as people know it: {@code OrderServiceIT.closes()}. */
    public String name() {
        return name;
    }

    /** Whether the current thread is the one that runs the test, rather than one that inherited its mark. */
    boolean isOwnThread() {
        return Thread.currentThread().getId() == threadId;
    }

    /** Whether its check has not ended yet. */
    public boolean isRunning() {
        return running;
    }

    void end() {
        running = false;
    }

    @Override
    public String toString() {
        return name;
    }
}
