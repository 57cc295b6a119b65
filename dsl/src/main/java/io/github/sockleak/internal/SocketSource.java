package io.github.sockleak.internal;

/** One way of reading the kernel's TCP table: hands over rows, interprets nothing. */
public interface SocketSource {

    /**
     * Reads the namespace's TCP sockets now into {@code sink}: this process's socket inodes, each row as it is read,
     * and a line for each row that could not be.
     *
     * @throws io.github.sockleak.SocketSnapshotException when the kernel cannot be read this way, saying why
     */
    void read(TableSink sink);
}
