/**
 * The failure messages of the sockleak assertions, one {@code Should*} factory per kind of expectation, as
 * AssertJ's own {@code org.assertj.core.error} package does.
 *
 * <p>Every message says what was expected, then shows what the kernel shows, as {@code ss -tan} rows, so a
 * failure can be read without running {@code ss} by hand.
 */
package io.github.sockleak.assertj.error;
