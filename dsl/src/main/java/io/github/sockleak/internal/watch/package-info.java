/**
 * The {@code watch} command behind {@link io.github.sockleak.Watch}: its arguments, what it looks at, the changes
 * between two snapshots, and the loop that prints them.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release; depend on
 * {@code io.github.sockleak} and {@code io.github.sockleak.assertj} only.
 */
package io.github.sockleak.internal.watch;
