/**
 * The picture of a recorded test: a self-contained HTML page per test with an SVG timeline of its sockets and
 * listeners, and the run's index of those pages. Everything is drawn here, on the server side; the pages load no
 * script, font or other file.
 *
 * <p><b>Not API.</b> Anything in this package may change or disappear in any release.
 */
package io.github.sockleak.junit.internal.timeline;
