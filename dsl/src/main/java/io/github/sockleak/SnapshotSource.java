package io.github.sockleak;

/** Where a {@link SocketSnapshot} came from. */
public enum SnapshotSource {
    /** {@code /proc/net/tcp}, {@code /proc/net/tcp6} and {@code /proc/self/fd}: every Linux, every JDK. */
    PROCFS,
    /** The kernel's {@code NETLINK_SOCK_DIAG} dump, as {@code ss} reads it: adds backlog limits and socket cookies. */
    NETLINK
}
