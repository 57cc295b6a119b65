package io.github.sockleak.internal;

import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Where a listener's backlog comes from when the kernel source cannot show it ({@code /proc} has no column for
 * it): whoever saw this JVM's {@code listen()} calls can tell the snapshot what each listener asked for.
 * The JUnit extension's origin agent registers here; without it, every lookup is empty.
 *
 * <p>The snapshot builder asks only for its own listeners and only when the source has no backlog, so the kernel's
 * own figure always wins. A registered lookup must answer the backlog the kernel applied (the requested value
 * clamped to {@code net.core.somaxconn}), be fast, and never throw.
 */
public final class BacklogHints {

    private static final Function<InetSocketAddress, OptionalInt> NONE = local -> OptionalInt.empty();

    private static volatile Function<InetSocketAddress, OptionalInt> lookup = NONE;

    private BacklogHints() {
    }

    /** Replaces the lookup; {@code null} removes it. Given a listener's local address (IPv4-mapped normalised). */
    public static void register(Function<InetSocketAddress, OptionalInt> backlogOfListener) {
        lookup = backlogOfListener == null ? NONE : backlogOfListener;
    }

    /** The backlog the application asked for on {@code local}, when something saw it listen. */
    public static OptionalInt backlogOf(InetSocketAddress local) {
        try {
            return lookup.apply(local);
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // a hint is optional: a failing lookup must not break a snapshot
        }
    }
}
