/**
 * The kernel's {@code NETLINK_SOCK_DIAG} protocol for TCP sockets, as {@code ss} speaks it: the dump request
 * and the reply parser, in plain Java so that they are tested on every JDK. The socket calls themselves use
 * {@code java.lang.foreign} and live in the JDK 22 part of the multi-release jar.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release; depend on
 * {@code io.github.sockleak} and {@code io.github.sockleak.assertj} only.
 */
package io.github.sockleak.internal.netlink;
