package io.github.sockleak.internal;

/** One way of reading the kernel's TCP table: returns rows, interprets nothing. */
public interface SocketSource {

    /**
     * The namespace's TCP sockets now, and this process's socket inodes.
     *
     * @throws io.github.sockleak.SocketSnapshotException when the kernel cannot be read this way, saying why
     */
    SocketTable read();
}
