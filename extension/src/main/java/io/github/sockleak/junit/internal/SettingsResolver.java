package io.github.sockleak.junit.internal;

import static io.github.sockleak.junit.NoSocketLeaks.FAIL_ON_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.IGNORE_OPENED_BY_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.IGNORE_PORTS_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.LISTEN_OVERFLOWS_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.MODE_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.ORIGINS_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.ORIGIN_STACKS_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.SCOPE_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.SETTLE_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.SOURCE_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.TIMELINE_DIRECTORY_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.TIMELINE_INTERVAL_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.TIMELINE_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.UNSUPPORTED_PROPERTY_NAME;
import static io.github.sockleak.junit.NoSocketLeaks.WATCH_PORTS_PROPERTY_NAME;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.TcpState;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Resolves {@link LeakSettings}: the built-in defaults, overridden by configuration parameters
 * ({@code junit-platform.properties}, system properties), overridden by explicit values (an annotation or the
 * extension's builder). A bad value fails with the key, the value and what is allowed.
 */
public final class SettingsResolver {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");
    private static final Pattern JAVA_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
            + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    private static final List<String> SOURCES = List.of("auto", "procfs", "netlink");
    private static final List<String> ORIGINS = List.of("auto", "on", "off");
    private static final List<String> TRUE_OR_FALSE = List.of("true", "false");
    private static final List<String> WARN_OR_FAIL = List.of("warn", "fail");

    private final Function<String, Optional<String>> parameters;

    /** @param parameters looks up a configuration parameter, as {@code ExtensionContext::getConfigurationParameter} does */
    public SettingsResolver(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
    }

    /** The settings from configuration alone. */
    public LeakSettings configured() {
        return new LeakSettings(
                parameter(MODE_PROPERTY_NAME).map(v -> parseEnum(MODE_PROPERTY_NAME, v, Mode.FAIL, Mode.WARN, Mode.OFF)).orElse(Mode.FAIL),
                parameter(FAIL_ON_PROPERTY_NAME).map(v -> parseStates(FAIL_ON_PROPERTY_NAME, v)).orElse(EnumSet.of(TcpState.CLOSE_WAIT)),
                parameter(SETTLE_PROPERTY_NAME).map(v -> parseDuration(SETTLE_PROPERTY_NAME, v)).orElse(Duration.ofSeconds(1)),
                parameter(SCOPE_PROPERTY_NAME).map(v -> parseEnum(SCOPE_PROPERTY_NAME, v, Scope.TEST, Scope.CLASS)).orElse(Scope.TEST),
                parameter(IGNORE_PORTS_PROPERTY_NAME).map(v -> parsePorts(IGNORE_PORTS_PROPERTY_NAME, v)).orElse(Set.of()),
                parameter(WATCH_PORTS_PROPERTY_NAME).map(v -> parsePorts(WATCH_PORTS_PROPERTY_NAME, v)).orElse(Set.of()),
                parameter(IGNORE_OPENED_BY_PROPERTY_NAME).map(v -> openers(IGNORE_OPENED_BY_PROPERTY_NAME, v.split(","))).orElse(Set.of()),
                oneOf(LISTEN_OVERFLOWS_PROPERTY_NAME, WARN_OR_FAIL, "warn").equals("fail"),
                oneOf(UNSUPPORTED_PROPERTY_NAME, WARN_OR_FAIL, "warn").equals("fail"),
                source(),
                OriginsMode.valueOf(oneOf(ORIGINS_PROPERTY_NAME, ORIGINS, "auto").toUpperCase(Locale.ROOT)),
                oneOf(ORIGIN_STACKS_PROPERTY_NAME, TRUE_OR_FALSE, "true").equals("true"),
                parameter(TIMELINE_PROPERTY_NAME).map(v -> parseTimeline(TIMELINE_PROPERTY_NAME, v)).orElse(null),
                parameter(TIMELINE_INTERVAL_PROPERTY_NAME).map(v -> parseInterval(TIMELINE_INTERVAL_PROPERTY_NAME, v)).orElse(null),
                parameter(TIMELINE_DIRECTORY_PROPERTY_NAME).map(v -> parseDirectory(TIMELINE_DIRECTORY_PROPERTY_NAME, v))
                        .orElse(Path.of("target", "sockleak")));
    }

    /** Null for {@code auto}: sockleak picks netlink when it can and says why when it cannot. */
    private SnapshotSource source() {
        switch (oneOf(SOURCE_PROPERTY_NAME, SOURCES, "auto")) {
            case "procfs":
                return SnapshotSource.PROCFS;
            case "netlink":
                return SnapshotSource.NETLINK;
            default:
                return null;
        }
    }

    private Optional<String> parameter(String key) {
        return parameters.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private String oneOf(String key, List<String> allowed, String fallback) {
        String value = parameter(key).map(v -> v.toLowerCase(Locale.ROOT)).orElse(fallback);
        if (!allowed.contains(value)) {
            throw invalid(key, parameter(key).orElse(""), "one of " + String.join(", ", allowed));
        }
        return value;
    }

    @SafeVarargs
    private static <E extends Enum<E>> E parseEnum(String key, String value, E... allowed) {
        for (E candidate : allowed) {
            if (candidate.name().equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E candidate : allowed) {
            names.append(names.length() == 0 ? "" : ", ").append(candidate.name().toLowerCase(Locale.ROOT));
        }
        throw invalid(key, value, "one of " + names);
    }

    private static Set<TcpState> parseStates(String key, String value) {
        Set<TcpState> states = EnumSet.noneOf(TcpState.class);
        for (String name : value.split(",")) {
            try {
                states.add(TcpState.parse(name));
            } catch (IllegalArgumentException e) {
                throw invalid(key, value, "comma-separated TCP states from " + EnumSet.allOf(TcpState.class).stream()
                        .map(Enum::name).toList());
            }
        }
        return states;
    }

    /** {@code off}, {@code onFailure} or {@code always}, in any case. */
    public static TimelineMode parseTimeline(String key, String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off":
                return TimelineMode.OFF;
            case "onfailure":
                return TimelineMode.ON_FAILURE;
            case "always":
                return TimelineMode.ALWAYS;
            default:
                throw invalid(key, value, "one of off, onFailure, always");
        }
    }

    /** A duration of at least a millisecond: a recording samples no more often. */
    public static Duration parseInterval(String key, String value) {
        Duration interval = parseDuration(key, value);
        if (interval.isZero()) {
            throw invalid(key, value, "a duration of at least 1ms, such as 5ms or 100ms");
        }
        return interval;
    }

    private static Path parseDirectory(String key, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw invalid(key, value, "a folder's path, such as target/sockleak");
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}. */
    public static Duration parseDuration(String key, String value) {
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw invalid(key, value, "a duration such as 500ms, 2s or 1m");
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            default:
                return Duration.ofMinutes(amount);
        }
    }

    private static Set<Integer> parsePorts(String key, String value) {
        try {
            return ports(key, Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "comma-separated port numbers from 1 to 65535");
        }
    }

    public static Set<Integer> ports(String key, int... ports) {
        Set<Integer> set = new LinkedHashSet<>();
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw invalid(key, Arrays.toString(ports), "port numbers from 1 to 65535");
            }
            set.add(port);
        }
        return set;
    }

    /** Package or class names, as {@code ignoreOpenedBy} takes them: dotted Java names, spaces around them ignored. */
    public static Set<String> openers(String key, String... names) {
        Set<String> set = new LinkedHashSet<>();
        for (String name : names) {
            String trimmed = name.trim();
            if (!JAVA_NAME.matcher(trimmed).matches()) {
                throw invalid(key, String.join(",", names), "package or class names such as com.zaxxer.hikari");
            }
            set.add(trimmed);
        }
        return set;
    }

    private static ExtensionConfigurationException invalid(String key, String value, String allowed) {
        return new ExtensionConfigurationException("sockleak: invalid value '" + value + "' for " + key + "; expected " + allowed);
    }
}
