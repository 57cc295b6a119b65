package io.github.sockleak.internal;

import java.util.Set;

/**
 * Reads what a leak check of this process needs without reading the namespace's whole table: the sockets on this
 * process's descriptors, the connections queued on its listeners, and the sockets on a few ports. Returns rows,
 * interprets nothing.
 */
public interface OwnSocketSource {

    /**
     * @param watchedPorts local ports whose every socket is wanted, whoever holds it
     * @throws io.github.sockleak.SocketSnapshotException when the kernel cannot be read this way, saying why
     */
    SocketTable read(Set<Integer> watchedPorts);

    /**
     * The inodes of this process's socket descriptors, of every kind (TCP, Unix, UDP, netlink), as
     * {@code /proc/self/fd} lists them: all a check needs to know that no socket appeared.
     *
     * @throws io.github.sockleak.SocketSnapshotException when the descriptors cannot be listed, saying why
     */
    default Set<Long> socketInodes() {
        return ProcfsSocketSource.system().ownSocketInodes(); // each descriptor's link
    }
}
