package io.github.sockleak.junit.internal.origins;

/** A leak check in progress: the test (or class) that sockets opened now are attributed to. Compared by identity. */
public final class TestMark {

    private final String name;
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

    void end() {
        running = false;
    }

    @Override
    public String toString() {
        return name;
    }
}
