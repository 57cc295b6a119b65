package io.github.sockleak.junit.internal.origins;

/** A leak check in progress: the test (or class) that sockets opened now are attributed to. */
public final class TestMark {

    private final String uniqueId;
    private final String name;
    private volatile boolean running = true;

    TestMark(String uniqueId, String name) {
        this.uniqueId = uniqueId;
        this.name = name;
    }

    /** JUnit's unique id of the test or class. */
    public String uniqueId() {
        return uniqueId;
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
