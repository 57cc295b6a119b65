package io.github.sockleak.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The watch command's arguments")
class WatchArgumentsTest {

    @Test
    @DisplayName("--port takes a port; the interval is the source's default unless given")
    void port() {
        WatchArguments arguments = WatchArguments.parse("--port", "12345");

        assertThat(arguments.selection().option()).isEqualTo("--port 12345");
        assertThat(arguments.interval()).isEmpty();
        assertThat(arguments.once()).isFalse();
        assertThat(arguments.help()).isFalse();
    }

    @ParameterizedTest(name = "--interval {0} is {1} ms")
    @CsvSource({"250ms, 250", "2s, 2000", "500, 500", "1ms, 1"})
    @DisplayName("--interval takes milliseconds or seconds")
    void interval(String text, long millis) {
        assertThat(WatchArguments.parse("--all", "--interval", text, "--once").interval()).hasValue(Duration.ofMillis(millis));
    }

    @Test
    @DisplayName("--listeners and --once")
    void listenersOnce() {
        WatchArguments arguments = WatchArguments.parse("--once", "--listeners");

        assertThat(arguments.selection().option()).isEqualTo("--listeners");
        assertThat(arguments.once()).isTrue();
    }

    @Test
    @DisplayName("--help asks for the usage, whatever follows")
    void help() {
        assertThat(WatchArguments.parse("--help", "--bogus").help()).isTrue();
        assertThat(WatchArguments.USAGE).contains("Exit codes: 0", "130", "1 the sockets could not be read", "2 wrong arguments");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--port abc|--port takes a port number from 1 to 65535, not 'abc'",
            "--port 0|--port takes a port number from 1 to 65535, not 0",
            "--port 65536|--port takes a port number from 1 to 65535, not 65536",
            "--port|--port needs a value",
            "--port --once|--port needs a value",
            "--once|say what to watch: --port PORT, --all or --listeners",
            "--all --port 80|watch one thing: --all or --port 80, not both",
            "--all --interval 0|--interval must be positive, not '0'",
            "--all --interval soon|--interval takes a duration such as 250ms, 2s or 500 (milliseconds), not 'soon'",
            "--all --interval 1s --interval 2s|--interval is given twice",
            "--all -p 80|unknown option '-p'"})
    @DisplayName("a wrong command line is refused with what is wrong")
    void refused(String commandLine, String message) {
        assertThatThrownBy(() -> WatchArguments.parse(commandLine.split(" ")))
                .isInstanceOf(WatchArguments.UsageException.class)
                .hasMessage(message);
    }
}
