package io.github.sockleak.junit.internal.origins;

/** What the tests in other packages ask of {@link Origins}, which keeps it package-private: no user needs it. */
public final class OriginsAccess {

    private OriginsAccess() {
    }

    /** How many open sockets the agent holds records for. */
    public static int recorded(Origins origins) {
        return origins.recorded();
    }

    /** How many submitted tasks carry a test's mark that no thread has taken up yet. */
    public static int carriedTasks(Origins origins) {
        return origins.carriedTasks();
    }
}
