package io.github.sockleak.internal;

import io.github.sockleak.TcpState;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One socket exactly as a kernel table printed it, before anyone decided what it means.
 *
 * @param family   the table it came from: {@code INET} ({@code tcp}) or {@code INET6} ({@code tcp6})
 * @param local    the local address as the kernel stores it (IPv4-mapped addresses not yet normalised)
 * @param sendQ    {@code tx_queue}: unacknowledged bytes
 * @param recvQ    {@code rx_queue}: unread bytes, or for a listener its accept-queue depth
 * @param inode    0 when no file descriptor refers to the socket
 * @param cookie   the kernel's lifetime identity of the socket, when the source has it
 * @param backlog  a listener's maximum backlog, when the source has it
 * @param drops    a listener's drop count ({@code sk_drops}), when the source has it
 */
public record RawSocketRow(
        StandardProtocolFamily family,
        TcpState state,
        InetAddress local,
        int localPort,
        InetAddress remote,
        int remotePort,
        long sendQ,
        long recvQ,
        int uid,
        long inode,
        OptionalLong cookie,
        OptionalInt backlog,
        OptionalLong drops) {
}
