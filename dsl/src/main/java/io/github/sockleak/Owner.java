package io.github.sockleak;

/** Who holds a TCP socket, seen from the process that took the snapshot. */
public enum Owner {
    /** On one of this process's file descriptors. */
    THIS_PROCESS,
    /**
     * No descriptor yet: a connection the kernel completed (or is completing) for one of this process's
     * listeners, waiting for {@code accept()}. Nobody else can close it, so it is this process's leak.
     */
    ACCEPT_QUEUE,
    /**
     * No descriptor and no listener of ours: closed by an application while the kernel finishes the
     * connection (FIN-WAIT, CLOSING, LAST-ACK, TIME-WAIT). It goes away by itself.
     */
    ORPHAN,
    /**
     * Held by another process of this network namespace, or queued on another process's listener (a connection
     * that process has not accepted yet), or a handshake in progress for it.
     */
    OTHER_PROCESS;

    /**
     * Whether this process is responsible for the socket: {@link #THIS_PROCESS} or {@link #ACCEPT_QUEUE}.
     *
     * @return whether it is this process's
     */
    public boolean isOwn() {
        return this == THIS_PROCESS || this == ACCEPT_QUEUE;
    }
}
