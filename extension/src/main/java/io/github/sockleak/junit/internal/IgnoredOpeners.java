package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The leaks a team let pass with {@code ignoreOpenedBy}: those whose opening stack, as the origin agent recorded
 * it, passes through a package or class the team named. A leak without such a stack is never let pass.
 */
final class IgnoredOpeners {

    /** Whether this JVM was told already that the filter cannot apply: once is enough. */
    private static final AtomicBoolean TOLD_CANNOT_APPLY = new AtomicBoolean();

    private final Set<String> names;
    private final SocketOrigins origins;

    IgnoredOpeners(Set<String> names, SocketOrigins origins) {
        this.names = names;
        this.origins = origins;
    }

    /**
     * The name the socket's opening passed through: its own origin's, or for a connection never accepted, its
     * client's or its listener's.
     */
    Optional<String> of(TcpSocket socket) {
        return origins.openings(socket)
                .map(origin -> origin.passesThrough(names))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** For an accept queue: its listener's opening, or that of every connection left in it when no ghost is new. */
    Optional<String> of(LeakFindings.AcceptQueueLeak queue) {
        Optional<String> listener = origins.of(queue.listener().socket()).flatMap(origin -> origin.passesThrough(names));
        if (listener.isPresent() || queue.newGhosts() > 0 || queue.neverAccepted().isEmpty()
                || !queue.neverAccepted().stream().allMatch(socket -> of(socket).isPresent())) {
            return listener;
        }
        return of(queue.neverAccepted().get(0));
    }

    Optional<String> of(AbandonedSocket socket) {
        return socket.origin().passesThrough(names);
    }

    /**
     * Why nothing can be ignored in this JVM, the first time a check with the filter asks: the agent is not
     * recording, or records no stacks.
     */
    Optional<String> cannotApply(boolean stacks) {
        if (names.isEmpty() || origins.isRecording() && stacks || !TOLD_CANNOT_APPLY.compareAndSet(false, true)) {
            return Optional.empty();
        }
        return Optional.of(LeakReport.ignoreCannotApply(names, origins.isRecording()));
    }
}
