/**
 * The origin agent: records where and by which test each TCP socket of this JVM was opened, so that a leak
 * report can say "opened at" with the caller's stack. Installed from {@code -javaagent:sockleak-junit.jar} or by
 * attaching to the running JVM where the JDK allows it quietly; advice inlined into the JDK's socket classes
 * calls {@link io.github.sockleak.junit.internal.bootstrap.SocketEvents}, which hands each event to the
 * {@link io.github.sockleak.junit.internal.origins.OriginRecorder}. Advice inlined into the JDK's executors calls
 * {@link io.github.sockleak.junit.internal.bootstrap.TaskEvents}, so that a task carries the mark of the test that
 * submitted it to the thread that runs it.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release.
 */
package io.github.sockleak.junit.internal.origins;
