/**
 * AssertJ assertions on the kernel's TCP sockets: {@link io.github.sockleak.assertj.SocketAssertions} to start,
 * {@link io.github.sockleak.assertj.SocketSoftAssertions} to collect several failures.
 *
 * <p>Checks look at this process's sockets unless widened with {@code includingOtherProcesses()}. Failures show
 * what was expected and what the kernel shows, as {@code ss -tan} rows.
 */
package io.github.sockleak.assertj;
