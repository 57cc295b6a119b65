package io.github.sockleak;

/** Which of the kernel's TCP sockets a {@link SocketSnapshot} holds. */
public enum SnapshotCoverage {
    /**
     * Every TCP socket of the network namespace, whoever holds it: what {@link Sockets#snapshot()} reads. Its cost
     * grows with every socket of the machine's namespace, other processes' included.
     */
    NAMESPACE,
    /**
     * What a leak check of this process needs, and no more: every TCP socket on this process's file descriptors,
     * the connections waiting in the accept queues of its listeners (looked for only when a queue is not empty, so
     * a handshake still in a listener's SYN queue is not there while its accept queue is empty), and every socket
     * on the ports asked for. Other processes' sockets elsewhere, orphans and TIME-WAIT sockets are left out, so
     * nothing can be concluded from their absence. Read with {@link Sockets#ownSnapshot(java.util.Set)}: its cost
     * grows with this process's sockets, not the namespace's.
     */
    PROCESS
}
