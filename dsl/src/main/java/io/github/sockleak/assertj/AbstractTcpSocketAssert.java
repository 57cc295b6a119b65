package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.error.ShouldHaveOwner.shouldBeOwn;
import static io.github.sockleak.assertj.error.ShouldHaveOwner.shouldHaveOwner;
import static io.github.sockleak.assertj.error.ShouldHavePort.shouldHaveLocalPort;
import static io.github.sockleak.assertj.error.ShouldHavePort.shouldHaveRemotePort;
import static io.github.sockleak.assertj.error.ShouldHaveState.shouldHaveState;

import io.github.sockleak.Owner;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on one socket of a snapshot: its state, who holds it, its ports. Failures show it as an {@code ss} row.
 *
 * @param <SELF> the concrete assertion class, which every check returns
 */
public abstract class AbstractTcpSocketAssert<SELF extends AbstractTcpSocketAssert<SELF>> extends AbstractAssert<SELF, TcpSocket> {

    /**
     * For subclasses: an assertion on {@code actual}.
     *
     * @param actual the value to check
     * @param selfType the concrete assertion class
     */
    protected AbstractTcpSocketAssert(TcpSocket actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /**
     * Checks the socket's TCP state.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasState(TcpState expected) {
        isNotNull();
        if (actual.state() != expected) {
            throwAssertionError(shouldHaveState(actual, expected));
        }
        return myself;
    }

    /**
     * Checks who is responsible for the socket.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasOwner(Owner expected) {
        isNotNull();
        if (actual.owner() != expected) {
            throwAssertionError(shouldHaveOwner(actual, expected));
        }
        return myself;
    }

    /**
     * This process is responsible for the socket: it is on one of its descriptors or queued on one of its listeners.
     *
     * @return this assertion, for more checks
     */
    public SELF isOwn() {
        isNotNull();
        if (!actual.isOwn()) {
            throwAssertionError(shouldBeOwn(actual));
        }
        return myself;
    }

    /**
     * Checks the socket's local port.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasLocalPort(int expected) {
        isNotNull();
        if (actual.local().getPort() != expected) {
            throwAssertionError(shouldHaveLocalPort(actual, expected));
        }
        return myself;
    }

    /**
     * Checks the socket's peer port.
     *
     * @param expected the value expected
     * @return this assertion, for more checks
     */
    public SELF hasRemotePort(int expected) {
        isNotNull();
        if (actual.remote().getPort() != expected) {
            throwAssertionError(shouldHaveRemotePort(actual, expected));
        }
        return myself;
    }
}
