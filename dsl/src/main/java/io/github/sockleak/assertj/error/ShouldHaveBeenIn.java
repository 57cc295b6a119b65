package io.github.sockleak.assertj.error;

import io.github.sockleak.SocketHistory;
import io.github.sockleak.TcpState;
import java.time.Duration;
import java.util.Locale;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A socket's recorded history does not show it in a state as expected: at all, never, for long enough, at the end. */
public final class ShouldHaveBeenIn extends BasicErrorMessageFactory {

    private ShouldHaveBeenIn(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * The socket was never seen in {@code state}.
     *
     * @param history the socket's history
     * @param state   the state expected
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveBeenIn(SocketHistory history, TcpState state) {
        return create(history, "to have been in " + state, "it never was");
    }

    /**
     * The socket was seen in {@code state}.
     *
     * @param history the socket's history
     * @param state   the state it should never have been in
     * @return the message factory
     */
    public static ErrorMessageFactory shouldNeverHaveBeenIn(SocketHistory history, TcpState state) {
        return create(history, "never to have been in " + state, "it was, for " + ms(history.timeIn(state)));
    }

    /**
     * The socket stayed in {@code state} longer than {@code limit}.
     *
     * @param history the socket's history
     * @param state   the state
     * @param limit   the longest time allowed in it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveBeenInForAtMost(SocketHistory history, TcpState state, Duration limit) {
        return create(history, "to have been in " + state + " for at most " + ms(limit), "it was for " + ms(history.timeIn(state)));
    }

    /**
     * The socket stayed in {@code state} for less than {@code minimum}.
     *
     * @param history the socket's history
     * @param state   the state
     * @param minimum the shortest time expected in it
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveBeenInForAtLeast(SocketHistory history, TcpState state, Duration minimum) {
        return create(history, "to have been in " + state + " for at least " + ms(minimum), "it was for " + ms(history.timeIn(state)));
    }

    /**
     * The socket ended the recording in another state, or was gone before its end.
     *
     * @param history the socket's history
     * @param state   the state expected at the end
     * @return the message factory
     */
    public static ErrorMessageFactory shouldHaveEndedIn(SocketHistory history, TcpState state) {
        String actual = history.gone().isPresent() ? "it was gone at " + ms(history.gone().get())
                : "it ended in " + history.last().state();
        return create(history, "to have ended the recording in " + state, actual);
    }

    private static ErrorMessageFactory create(SocketHistory history, String expectation, String actual) {
        return new ShouldHaveBeenIn("%nExpecting the socket%n%s%n%s, but %s (as the samples saw it, to within one"
                        + " interval):%n  %s",
                unquotedString(history.first().toString()), unquotedString(expectation), unquotedString(actual),
                unquotedString(history.summary()));
    }

    private static String ms(Duration time) {
        return String.format(Locale.ROOT, "%,d ms", time.toMillis());
    }
}
