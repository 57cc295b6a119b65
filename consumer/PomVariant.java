import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a variant of consumer/pom.xml for one case of run.sh: {@code PomVariant IN OUT JUNIT_VERSION ORDER BOM}, with
 * ORDER {@code sockleak-first} (the README's) or {@code junit-first}, and BOM {@code bom} (the README's) or
 * {@code no-bom} (junit-jupiter then names its version itself). Run with {@code java PomVariant.java ...}.
 */
public final class PomVariant {

    private static final Pattern BOM_VERSION = Pattern.compile(
            "(<artifactId>junit-bom</artifactId>\\s*<version>)[^<]+(</version>)");
    private static final Pattern MANAGEMENT = Pattern.compile("\\s*<dependencyManagement>.*?</dependencyManagement>",
            Pattern.DOTALL);
    private static final Pattern TWO_DEPENDENCIES = Pattern.compile(
            "(<dependency>\\s*<groupId>io\\.github\\.sockleak</groupId>.*?</dependency>)(\\s*)"
                    + "(<dependency>\\s*<groupId>org\\.junit\\.jupiter</groupId>.*?</dependency>)", Pattern.DOTALL);
    private static final Pattern JUPITER = Pattern.compile("(<artifactId>junit-jupiter</artifactId>)(\\s*)");

    public static void main(String[] args) throws Exception {
        String pom = Files.readString(Path.of(args[0]));
        String junit = args[2];
        pom = replaceOnce(BOM_VERSION, pom, "$1" + junit + "$2");
        if (args[3].equals("junit-first")) {
            pom = replaceOnce(TWO_DEPENDENCIES, pom, "$3$2$1");
        } else if (!args[3].equals("sockleak-first")) {
            throw new IllegalArgumentException("order: sockleak-first or junit-first, not " + args[3]);
        }
        if (args[4].equals("no-bom")) {
            pom = replaceOnce(MANAGEMENT, pom, "");
            pom = replaceOnce(JUPITER, pom, "$1$2<version>" + junit + "</version>$2");
        } else if (!args[4].equals("bom")) {
            throw new IllegalArgumentException("bom or no-bom, not " + args[4]);
        }
        Files.writeString(Path.of(args[1]), pom);
    }

    /** Fails rather than write a POM that silently lost what the case is about. */
    private static String replaceOnce(Pattern pattern, String text, String replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("consumer/pom.xml no longer has " + pattern.pattern());
        }
        return matcher.replaceFirst(replacement);
    }
}
