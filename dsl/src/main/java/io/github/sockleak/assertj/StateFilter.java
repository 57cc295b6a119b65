package io.github.sockleak.assertj;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/** The states an assertion looks for, checked once: an empty or null state is a mistake in the test, not a pass. */
final class StateFilter implements Predicate<TcpSocket> {

    private final Set<TcpState> states;

    private StateFilter(Set<TcpState> states) {
        this.states = states;
    }

    static StateFilter of(TcpState... states) {
        Objects.requireNonNull(states, "states");
        if (states.length == 0) {
            throw new IllegalArgumentException("name at least one TcpState to look for");
        }
        Set<TcpState> set = EnumSet.noneOf(TcpState.class);
        for (TcpState state : states) {
            set.add(Objects.requireNonNull(state, "a state to look for is null"));
        }
        return new StateFilter(set);
    }

    @Override
    public boolean test(TcpSocket socket) {
        return states.contains(socket.state());
    }
}
