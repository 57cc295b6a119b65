package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldHaveBeenIn.shouldHaveBeenIn;
import static io.github.sockleak.assertj.error.ShouldHaveBeenIn.shouldHaveBeenInForAtLeast;
import static io.github.sockleak.assertj.error.ShouldHaveBeenIn.shouldHaveBeenInForAtMost;
import static io.github.sockleak.assertj.error.ShouldHaveBeenIn.shouldHaveEndedIn;
import static io.github.sockleak.assertj.error.ShouldHaveBeenIn.shouldNeverHaveBeenIn;

import io.github.sockleak.SocketHistory;
import io.github.sockleak.TcpState;
import java.time.Duration;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on one socket's recorded history: the states it was seen in and for how long. Times are as the samples
 * saw them, so to within one interval of the recording: a state shorter than that can be missed.
 *
 * <pre>{@code
 * assertThat(timeline).socket(local, remote).wasIn(TcpState.CLOSE_WAIT).forAtMost(Duration.ofMillis(200));
 * }</pre>
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractSocketHistoryAssert<SELF extends AbstractSocketHistoryAssert<SELF>>
        extends AbstractAssert<SELF, SocketHistory> {

    /** The state the last {@link #wasIn(TcpState)} named, which {@code forAtMost} and {@code forAtLeast} measure. */
    private TcpState measured;

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual   the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractSocketHistoryAssert(SocketHistory actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * The socket was seen in {@code state} at least once; {@link #forAtMost(Duration)} and
     * {@link #forAtLeast(Duration)} then measure how long, over all its stretches in it.
     *
     * @param state the state
     * @return this assertion, for {@code forAtMost}, {@code forAtLeast} or more checks
     */
    public SELF wasIn(TcpState state) {
        isNotNull();
        measured = state;
        if (actual.spans().stream().noneMatch(span -> span.state() == state)) {
            throwAssertionError(shouldHaveBeenIn(actual, state));
        }
        return myself;
    }

    /**
     * The socket spent at most {@code limit} in the state the preceding {@link #wasIn(TcpState)} named; a state it
     * was still in at the end counts to the end of the recording.
     *
     * @param limit the longest time allowed
     * @return this assertion, for more checks
     * @throws IllegalStateException when no {@code wasIn} came before
     */
    public SELF forAtMost(Duration limit) {
        isNotNull();
        TcpState state = measuredState("forAtMost");
        if (actual.timeIn(state).compareTo(limit) > 0) {
            throwAssertionError(shouldHaveBeenInForAtMost(actual, state, limit));
        }
        return myself;
    }

    /**
     * The socket spent at least {@code minimum} in the state the preceding {@link #wasIn(TcpState)} named.
     *
     * @param minimum the shortest time expected
     * @return this assertion, for more checks
     * @throws IllegalStateException when no {@code wasIn} came before
     */
    public SELF forAtLeast(Duration minimum) {
        isNotNull();
        TcpState state = measuredState("forAtLeast");
        if (actual.timeIn(state).compareTo(minimum) < 0) {
            throwAssertionError(shouldHaveBeenInForAtLeast(actual, state, minimum));
        }
        return myself;
    }

    private TcpState measuredState(String check) {
        if (measured == null) {
            throw new IllegalStateException(check + " measures the state named by wasIn(state): call wasIn first,"
                    + " as in wasIn(TcpState.CLOSE_WAIT)." + check + "(...)");
        }
        return measured;
    }

    /**
     * No sample saw the socket in {@code state}.
     *
     * @param state the state
     * @return this assertion, for more checks
     */
    public SELF neverWasIn(TcpState state) {
        isNotNull();
        if (actual.spans().stream().anyMatch(span -> span.state() == state)) {
            throwAssertionError(shouldNeverHaveBeenIn(actual, state));
        }
        return myself;
    }

    /**
     * The socket was still there when the recording ended, in {@code state}.
     *
     * @param state the state
     * @return this assertion, for more checks
     */
    public SELF endedIn(TcpState state) {
        isNotNull();
        if (actual.gone().isPresent() || actual.last().state() != state) {
            throwAssertionError(shouldHaveEndedIn(actual, state));
        }
        return myself;
    }
}
