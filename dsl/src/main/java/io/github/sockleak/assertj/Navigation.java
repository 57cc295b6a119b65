package io.github.sockleak.assertj;

import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.Assert;

/**
 * How a navigation method ({@code listener(port)}, {@code port(port)}, {@code socketsIn(state)}) builds the
 * assertion it returns.
 *
 * <p>AssertJ's soft proxies only know AssertJ's own navigation methods: ours would hand back a plain assertion
 * that throws at the first failure, and a failed navigation would hand back {@code null}. So in soft mode the
 * target assertion is made a proxy of the same {@link SocketSoftAssertions}, and a failed navigation is
 * collected like any other failure.
 */
abstract class Navigation {

    /** Outside soft assertions: the assertion itself, and a failed navigation throws. */
    static final Navigation DIRECT = new Navigation() {
        @Override
        <A extends Assert<? extends A, ? extends T>, T> A to(Class<A> assertType, Class<T> actualType,
                                                              Supplier<? extends T> target, Function<T, A> create) {
            return create.apply(target.get());
        }
    };

    static Navigation softly(SocketSoftAssertions softly) {
        return new Navigation() {
            @Override
            <A extends Assert<? extends A, ? extends T>, T> A to(Class<A> assertType, Class<T> actualType,
                                                                  Supplier<? extends T> target, Function<T, A> create) {
                T actual;
                try {
                    actual = target.get();
                } catch (AssertionError failure) {
                    softly.collectAssertionError(failure);
                    // Reported once. The checks chained after it have nothing to check: they report to a
                    // collector nobody reads rather than repeat "expecting actual not to be null" each.
                    return new SocketSoftAssertions().proxy(assertType, actualType, null);
                }
                return softly.proxy(assertType, actualType, actual);
            }
        };
    }

    /**
     * @param target finds the value to navigate to, throwing an {@link AssertionError} when there is none
     * @param create the plain assertion on it
     */
    abstract <A extends Assert<? extends A, ? extends T>, T> A to(Class<A> assertType, Class<T> actualType,
                                                                  Supplier<? extends T> target, Function<T, A> create);
}
