/**
 * The machinery behind {@link io.github.sockleak.junit.SocketLeakExtension}: settings, the leak policy, the
 * settle loop and the report.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release.
 */
package io.github.sockleak.junit.internal;
