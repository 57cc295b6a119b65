package io.github.sockleak.internal.watch;

import java.time.Duration;
import java.util.Optional;

/**
 * What the command line asked the watch for.
 *
 * @param selection which sockets and listeners to show
 * @param interval  the pause between two snapshots; empty for the source's default
 * @param once      print one table and end
 * @param help      print the usage and end
 */
public record WatchArguments(Selection selection, Optional<Duration> interval, boolean once, boolean help) {

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: watch (--port PORT | --all | --listeners) [--interval DURATION] [--once]",
            "  --port PORT          the sockets with an end on PORT (as ss -tan 'sport = :PORT or dport = :PORT')",
            "  --all                every TCP socket of the network namespace",
            "  --listeners          every listening socket of the network namespace",
            "  --interval DURATION  between two looks: 250ms, 2s or a number of milliseconds;",
            "                       default 100ms on netlink, 1s on /proc",
            "  --once               print one table and end",
            "Prints the sockets as ss -tan does, then only what changes, each line with the time of the look:",
            "  + appeared   - gone   ~ changed (state or queues)   ! replaced (a new socket on the same 4-tuple)",
            "and per listener: depth N, visible M, ghosts G, backlog B. Ctrl-C ends it.",
            "Exit codes: 0 done (--once, --help), 130 ended by Ctrl-C (SIGINT), 1 the sockets could not be read,",
            "2 wrong arguments.");

    /** A wrong command line, with a message saying what is wrong. */
    public static final class UsageException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @throws UsageException when an option is unknown, repeated, lacks its value, or has a value that is not what
     *                        it takes (a port from 1 to 65535, a positive duration)
     */
    public static WatchArguments parse(String... args) {
        Selection selection = null;
        Duration interval = null;
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--help", "-h" -> {
                    return new WatchArguments(null, Optional.empty(), false, true);
                }
                case "--port" -> selection = only(selection, Selection.port(port(value(args, ++i, option))));
                case "--all" -> selection = only(selection, Selection.all());
                case "--listeners" -> selection = only(selection, Selection.listeners());
                case "--interval" -> {
                    if (interval != null) {
                        throw new UsageException("--interval is given twice");
                    }
                    interval = duration(value(args, ++i, option));
                }
                case "--once" -> once = true;
                default -> throw new UsageException("unknown option '" + option + "'");
            }
        }
        if (selection == null) {
            throw new UsageException("say what to watch: --port PORT, --all or --listeners");
        }
        return new WatchArguments(selection, Optional.ofNullable(interval), once, false);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static Selection only(Selection chosen, Selection next) {
        if (chosen != null) {
            throw new UsageException("watch one thing: " + chosen.option() + " or " + next.option() + ", not both");
        }
        return next;
    }

    private static int port(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--port takes a port number from 1 to 65535, not '" + text + "'");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("--port takes a port number from 1 to 65535, not " + port);
        }
        return port;
    }

    private static Duration duration(String text) {
        String number = text.endsWith("ms") ? text.substring(0, text.length() - 2)
                : text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
        long amount;
        try {
            amount = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new UsageException("--interval takes a duration such as 250ms, 2s or 500 (milliseconds), not '" + text + "'");
        }
        if (amount <= 0) {
            throw new UsageException("--interval must be positive, not '" + text + "'");
        }
        return text.endsWith("s") && !text.endsWith("ms") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
    }
}
