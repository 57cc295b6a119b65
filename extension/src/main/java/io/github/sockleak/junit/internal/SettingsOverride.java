package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpState;
import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings given explicitly, by an annotation or the extension's builder; a null field is not given and keeps
 * the value it overrides.
 */
public record SettingsOverride(Mode mode, Set<TcpState> failOn, Duration settle, Scope scope,
                               Set<Integer> ignorePorts, Set<Integer> watchPorts, Set<String> ignoreOpenedBy,
                               TimelineMode timeline, Duration timelineInterval) {

    public static final SettingsOverride NONE = new SettingsOverride(null, null, null, null, null, null, null, null, null);

    public static SettingsOverride of(NoSocketLeaks annotation) {
        return new SettingsOverride(
                annotation.mode() == Mode.INFERRED ? null : annotation.mode(),
                annotation.failOn().length == 0 ? null : EnumSet.copyOf(Arrays.asList(annotation.failOn())),
                annotation.settle().isBlank() ? null : SettingsResolver.parseDuration("@NoSocketLeaks(settle)", annotation.settle()),
                annotation.scope() == Scope.INFERRED ? null : annotation.scope(),
                annotation.ignorePorts().length == 0 ? null : SettingsResolver.ports("@NoSocketLeaks(ignorePorts)", annotation.ignorePorts()),
                annotation.watchPorts().length == 0 ? null : SettingsResolver.ports("@NoSocketLeaks(watchPorts)", annotation.watchPorts()),
                annotation.ignoreOpenedBy().length == 0 ? null
                        : SettingsResolver.openers("@NoSocketLeaks(ignoreOpenedBy)", annotation.ignoreOpenedBy()),
                annotation.timeline().isBlank() ? null : SettingsResolver.parseTimeline("@NoSocketLeaks(timeline)", annotation.timeline()),
                annotation.timelineInterval().isBlank() ? null
                        : SettingsResolver.parseInterval("@NoSocketLeaks(timelineInterval)", annotation.timelineInterval()));
    }

    public SettingsOverride withMode(Mode mode) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public SettingsOverride withFailOn(Set<TcpState> failOn) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public SettingsOverride withSettle(Duration settle) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public SettingsOverride withScope(Scope scope) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public SettingsOverride withIgnorePorts(Set<Integer> ignorePorts) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public SettingsOverride withWatchPorts(Set<Integer> watchPorts) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public SettingsOverride withIgnoreOpenedBy(Set<String> ignoreOpenedBy) {
        return new SettingsOverride(mode, failOn, settle, scope, ignorePorts, watchPorts, ignoreOpenedBy, timeline, timelineInterval);
    }

    public LeakSettings applyTo(LeakSettings base) {
        return new LeakSettings(
                mode == null ? base.mode() : mode,
                failOn == null ? base.failOn() : failOn,
                settle == null ? base.settle() : settle,
                scope == null ? base.scope() : scope,
                ignorePorts == null ? base.ignorePorts() : ignorePorts,
                watchPorts == null ? base.watchPorts() : watchPorts,
                ignoreOpenedBy == null ? base.ignoreOpenedBy() : ignoreOpenedBy,
                base.failOnListenOverflows(),
                base.failWhenUnsupported(),
                base.source(),
                base.origins(),
                base.originStacks(),
                timeline == null ? base.timeline() : timeline,
                timelineInterval == null ? base.timelineInterval() : timelineInterval,
                base.timelineDirectory());
    }
}
