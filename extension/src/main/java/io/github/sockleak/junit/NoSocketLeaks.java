package io.github.sockleak.junit;

import io.github.sockleak.TcpState;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaves TCP sockets behind: by default a connection of this process that the test opened
 * and that is still in CLOSE-WAIT after settling, and a listener of this process whose accept queue still holds
 * connections the test opened (or ghosts of them).
 *
 * <p>On a class it checks every test of the class, its subclasses and its {@code @Nested} classes; on a method,
 * that test; on an annotation, every element that annotation marks. Each attribute left at its default takes
 * the configuration parameter named in its documentation ({@code junit-platform.properties} or a system
 * property), then the built-in default.
 *
 * <pre>{@code
 * @NoSocketLeaks
 * class OrderServiceIT {
 *     @Test
 *     void closesConnections(SocketProbe sockets) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SocketLeakExtension.class)
public @interface NoSocketLeaks {

    /** {@code fail}, {@code warn} or {@code off}; default {@code fail}. */
    String MODE_PROPERTY_NAME = "sockleak.mode";
    /** Comma-separated {@link TcpState} names ({@code CLOSE_WAIT,ESTABLISHED}); default {@code CLOSE_WAIT}. */
    String FAIL_ON_PROPERTY_NAME = "sockleak.failOn";
    /** How long a leak may take to go away after the test: {@code 500ms}, {@code 2s}; default {@code 1s}. */
    String SETTLE_PROPERTY_NAME = "sockleak.settle";
    /** {@code test} (each test on its own) or {@code class} (from before all to after all); default {@code test}. */
    String SCOPE_PROPERTY_NAME = "sockleak.scope";
    /** {@code auto}, {@code procfs} or {@code netlink}; default {@code auto}. */
    String SOURCE_PROPERTY_NAME = "sockleak.source";
    /**
     * Whether to record where each socket was opened, so that a leak report shows the stack and the test that
     * opened it: {@code auto} (when the agent is given with {@code -javaagent} or the JVM lets sockleak attach it
     * quietly; otherwise one line on standard error says how to add it), {@code on} (required: a test fails with
     * the diagnosis when the agent cannot be installed) or {@code off}; default {@code auto}.
     */
    String ORIGINS_PROPERTY_NAME = "sockleak.origins";
    /**
     * {@code true} or {@code false}: whether origins include the caller's stack, the costly part of recording;
     * without it a report still names the test and thread; default {@code true}.
     */
    String ORIGIN_STACKS_PROPERTY_NAME = "sockleak.originStacks";
    /** {@code warn} or {@code fail}: what to do where the kernel's sockets cannot be seen; default {@code warn}. */
    String UNSUPPORTED_PROPERTY_NAME = "sockleak.unsupported";
    /** {@code warn} or {@code fail}: what a rise of ListenOverflows or ListenDrops during a test does; default {@code warn}. */
    String LISTEN_OVERFLOWS_PROPERTY_NAME = "sockleak.listenOverflows";
    /** Comma-separated ports whose sockets are never reported, local or remote; default none. */
    String IGNORE_PORTS_PROPERTY_NAME = "sockleak.ignorePorts";
    /** Comma-separated local ports checked even when another process holds them; default none. */
    String WATCH_PORTS_PROPERTY_NAME = "sockleak.watchPorts";
    /** Comma-separated packages or classes whose leaks are reported as ignored, never failing; default none. */
    String IGNORE_OPENED_BY_PROPERTY_NAME = "sockleak.ignoreOpenedBy";
    /**
     * Whether each checked test's sockets are recorded as a timeline, and which timelines are kept: {@code off},
     * {@code onFailure} (record every check, keep the timeline of a test that failed or leaked: its history lines in
     * the report and its page) or {@code always} (a page for every checked test); default {@code onFailure} where
     * checks read netlink, {@code off} where they read {@code /proc}, whose every sample reads the whole table.
     */
    String TIMELINE_PROPERTY_NAME = "sockleak.timeline";
    /**
     * The time between two samples of a timeline: {@code 5ms}, {@code 100ms}; default {@code 5ms} where checks read
     * netlink, {@code 100ms} where they read {@code /proc}, which reads the whole table each time.
     */
    String TIMELINE_INTERVAL_PROPERTY_NAME = "sockleak.timelineInterval";
    /**
     * The folder the timeline pages and their index are written to, relative to the working directory (the module's
     * folder under Maven); default {@code target/sockleak}.
     */
    String TIMELINE_DIRECTORY_PROPERTY_NAME = "sockleak.timelineDirectory";

    /**
     * What a leak does. {@link Mode#INFERRED} takes {@value #MODE_PROPERTY_NAME}.
     *
     * @return the mode
     */
    Mode mode() default Mode.INFERRED;

    /**
     * The states a leaked socket may not be in; empty takes {@value #FAIL_ON_PROPERTY_NAME}.
     *
     * @return the states
     */
    TcpState[] failOn() default {};

    /**
     * How long to let sockets settle before a leak counts ({@code "500ms"}, {@code "2s"}); empty takes {@value #SETTLE_PROPERTY_NAME}.
     *
     * @return the duration, as {@code 500ms} or {@code 2s}; empty for the default
     */
    String settle() default "";

    /**
     * Whether to check each test or the whole class. {@link Scope#INFERRED} takes {@value #SCOPE_PROPERTY_NAME}.
     *
     * @return the scope
     */
    Scope scope() default Scope.INFERRED;

    /**
     * Ports whose sockets are never reported, whether the port is the local or the remote one.
     *
     * @return the ports
     */
    int[] ignorePorts() default {};

    /**
     * Local ports to check even when another process holds their sockets, such as a server the test started as
     * a child process.
     *
     * @return the ports
     */
    int[] watchPorts() default {};

    /**
     * Packages ({@code "com.zaxxer.hikari"}) or classes ({@code "com.example.LegacyPool"}) whose code a team cannot
     * fix: a leaked socket whose opening stack passes through one of them is reported in one line as ignored and
     * never fails the test. Needs the origin agent with stacks, which sees where each socket was opened; without
     * it nothing can be ignored, and one line says so. Empty takes {@value #IGNORE_OPENED_BY_PROPERTY_NAME}.
     *
     * @return the names
     */
    String[] ignoreOpenedBy() default {};

    /**
     * Whether to record the test's sockets as a timeline and keep it: {@code "off"}, {@code "onFailure"} or
     * {@code "always"}; empty takes {@value #TIMELINE_PROPERTY_NAME}.
     *
     * @return the timeline mode; empty for the default
     */
    String timeline() default "";

    /**
     * The time between two samples of a timeline ({@code "5ms"}, {@code "100ms"}); empty takes
     * {@value #TIMELINE_INTERVAL_PROPERTY_NAME}.
     *
     * @return the duration; empty for the default
     */
    String timelineInterval() default "";

    /** What a leak does. */
    enum Mode {
        /** The test fails with a {@link SocketLeakError}. */
        FAIL,
        /** The leak is reported (a report entry and standard error) and the test passes. */
        WARN,
        /** No check. */
        OFF,
        /** Use the configuration parameter, then {@link #FAIL}. */
        INFERRED
    }

    /** Which sockets a check blames on what. */
    enum Scope {
        /** Each test is checked for what it opened, from before each to after each. */
        TEST,
        /** The class is checked once, for what it opened from before all to after all. */
        CLASS,
        /** Use the configuration parameter, then {@link #TEST}. */
        INFERRED
    }
}
