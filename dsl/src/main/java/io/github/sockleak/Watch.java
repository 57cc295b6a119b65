package io.github.sockleak;

import io.github.sockleak.internal.watch.WatchCommand;
import java.time.Duration;

/**
 * The {@code watch} command: the sockets of a port (or all, or the listeners) as {@code ss -tan} prints them, then
 * only what changes, each line with its time, and per listener its depth, visible children, ghosts and backlog.
 * Run it from the jar: {@code java -jar sockleak-dsl.jar --port 12345}; {@code --help} prints the options and the
 * exit codes.
 */
public final class Watch {

    private Watch() {
    }

    /**
     * Runs the command and exits with its code: 0 done, 1 the sockets could not be read, 2 wrong arguments; Ctrl-C
     * ends it after its last line, with the JVM's 130.
     *
     * @param args the command line: {@code --port P}, {@code --all} or {@code --listeners}, then {@code --interval}
     *             and {@code --once} ({@code --help} lists them)
     */
    public static void main(String[] args) {
        WatchCommand command = WatchCommand.system(System.out, System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> command.stop(Duration.ofSeconds(2)), "sockleak-watch-stop"));
        System.exit(command.run(args));
    }
}
