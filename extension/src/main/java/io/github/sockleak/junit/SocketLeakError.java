package io.github.sockleak.junit;

/**
 * A test left TCP sockets behind. The message lists them the way {@code ss} does, with the test, the settle time
 * and the state of any accept queue involved.
 */
public class SocketLeakError extends AssertionError {

    private static final long serialVersionUID = 1L;

    public SocketLeakError(String message) {
        super(message);
    }
}
