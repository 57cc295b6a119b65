package io.github.sockleak.junit.internal.origins;

import java.util.Optional;

/** Whether origins are recorded in this JVM, how the agent got in, or why not. Immutable. */
public final class OriginsStatus {

    /** Where the installation stands. */
    public enum State {
        /** Nobody asked yet. */
        NOT_TRIED,
        /** The agent records origins. */
        ACTIVE,
        /** The JDK allows no quiet self-attach and no {@code -javaagent} was given. */
        REFUSED,
        /** Installation was tried and failed. */
        FAILED
    }

    static final OriginsStatus NOT_TRIED = new OriginsStatus(State.NOT_TRIED, "", "", null);

    private final State state;
    private final String how;
    private final String message;
    private final Throwable error;

    private OriginsStatus(State state, String how, String message, Throwable error) {
        this.state = state;
        this.how = how;
        this.message = message;
        this.error = error;
    }

    static OriginsStatus active(String how) {
        return new OriginsStatus(State.ACTIVE, how, "origins recorded by the agent (" + how + ")", null);
    }

    static OriginsStatus refused(String hint) {
        return new OriginsStatus(State.REFUSED, "", hint, null);
    }

    static OriginsStatus failed(String how, String diagnosis, Throwable error) {
        return new OriginsStatus(State.FAILED, how, diagnosis, error);
    }

    public State state() {
        return state;
    }

    public boolean isActive() {
        return state == State.ACTIVE;
    }

    /** {@code -javaagent}, {@code self-attach}: how the agent got into this JVM, or was tried. */
    public String how() {
        return how;
    }

    /** One line for people: the hint, or the diagnosis of a failure. */
    public String message() {
        return message;
    }

    /** What made the installation fail, kept to be rethrown when origins are required. */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public String toString() {
        return state + ": " + message;
    }
}
