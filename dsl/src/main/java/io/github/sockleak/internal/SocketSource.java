package io.github.sockleak.internal;

/** One way of reading the kernel's TCP table: returns rows, interprets nothing. */
public interface SocketSource {

    /**
     * The namespace's TCP sockets now, and this process's socket inodes.
     *
     * @throws io.github.sockleak.SocketSnapshotException when the kernel cannot be read this way, saying why
     */
    SocketTable read();

    /**
     * Reads the same into {@code sink}, row by row. A source that can hand rows over as it reads them overrides
     * this; by default the rows of {@link #read()}.
     *
     * @throws io.github.sockleak.SocketSnapshotException as {@link #read()}
     */
    default void read(TableSink sink) {
        read().into(sink);
    }
}
