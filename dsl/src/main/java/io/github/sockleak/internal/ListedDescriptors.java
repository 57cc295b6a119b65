package io.github.sockleak.internal;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The socket descriptors a snapshot listed, handed to the caller on the same thread that asked for them during a
 * piece of work. Listing this process's descriptors asks the kernel once per descriptor, and is most of what a clean
 * check costs: a check whose recording has just listed them for its first sample takes its baseline from that
 * listing rather than list them again. Nothing is kept outside {@link #during}.
 */
public final class ListedDescriptors {

    /** The slot of the innermost {@link #during} on this thread; its one element is the last listing seen. */
    private static final ThreadLocal<long[][]> SLOT = new ThreadLocal<>();

    private ListedDescriptors() {
    }

    /**
     * Runs {@code work}, keeping the socket descriptors the last snapshot it took on this thread listed.
     *
     * @return what {@code work} returned, and the inodes of this process's socket descriptors, of every kind, that
     *         its last snapshot listed; empty when it took none
     */
    public static <T> Listed<T> during(Supplier<T> work) {
        long[][] outer = SLOT.get();
        long[][] slot = new long[1][];
        SLOT.set(slot);
        try {
            T value = work.get();
            return new Listed<>(value, Optional.ofNullable(slot[0])
                    .map(inodes -> Arrays.stream(inodes).boxed().collect(Collectors.toUnmodifiableSet())));
        } finally {
            if (outer == null) {
                SLOT.remove();
            } else {
                SLOT.set(outer);
            }
        }
    }

    /** A snapshot listed this process's socket descriptors: these are their inodes. */
    public static void seen(long[] inodes) {
        long[][] slot = SLOT.get();
        if (slot != null) {
            slot[0] = inodes;
        }
    }

    /**
     * @param value        what the work returned
     * @param socketInodes the inodes its last snapshot listed
     */
    public record Listed<T>(T value, Optional<Set<Long>> socketInodes) {
    }
}
