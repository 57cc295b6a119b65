/**
 * The classes that the origin agent puts on the bootstrap class path, so that advice inlined into the JDK's
 * socket classes and executors can call them. They reference nothing outside {@code java.base}.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release.
 */
package io.github.sockleak.junit.internal.bootstrap;
