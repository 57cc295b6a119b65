/**
 * The kernel's {@code NETLINK_SOCK_DIAG} protocol for TCP sockets, as {@code ss} speaks it: the requests, the
 * reply parsers, the channel and the sources, in plain Java so that they run and are tested on every JDK. Only
 * the system calls depend on the JDK ({@code LibC}): JNA on JDK 17 to 21,
 * {@code java.lang.foreign} on JDK 22+, in the JDK 22 part of the multi-release jar.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release; depend on
 * {@code io.github.sockleak} and {@code io.github.sockleak.assertj} only.
 */
package io.github.sockleak.internal.netlink;
