/**
 * Kernel readers and formatting helpers behind {@link io.github.sockleak.Sockets}.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release; depend on
 * {@code io.github.sockleak} and {@code io.github.sockleak.assertj} only.
 */
package io.github.sockleak.internal;
