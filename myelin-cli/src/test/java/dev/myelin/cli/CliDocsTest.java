package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md's usage section is picocli's help of every command, so the page cannot drift from
 * the code. When a command's options change, regenerate it with
 * {@code mvn -B -q -pl myelin-cli -am test -Dtest=CliDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dmyelin.docs.write=true}.
 */
class CliDocsTest {
    private static final String BEGIN = "<!-- usage:begin (generated from picocli by CliDocsTest) -->";
    private static final String END = "<!-- usage:end -->";
    private static final Path DOC = Path.of("..", "docs", "cli.md");

    /** Every command's {@code --help}, in a fenced block per command. */
    static String usage() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine root = Main.commandLine(sink, sink);
        StringBuilder sb = new StringBuilder();
        for (var e : root.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            sb.append("\n### myelin ").append(e.getKey()).append("\n\n```\n")
                    .append(e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        }
        return sb.toString();
    }

    @Test
    void docsShowEveryCommandsCurrentHelp() throws Exception {
        String doc = Files.readString(DOC);
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        assertTrue(b >= 0 && e > b, DOC + " needs the markers " + BEGIN + " and " + END);
        String expected = usage();
        String found = doc.substring(b + BEGIN.length(), e);
        if (!expected.equals(found) && Boolean.getBoolean("myelin.docs.write")) {
            Files.writeString(DOC, doc.substring(0, b + BEGIN.length()) + expected + doc.substring(e));
            return;
        }
        assertEquals(expected, found, DOC + " is out of date: regenerate it (see this test's Javadoc)");
    }

    @Test
    void labReadmeLinksEveryLabsPage() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "lab", "README.md"));
        for (String name : dev.myelin.cli.lab.Labs.names()) {
            assertTrue(readme.contains("(" + name + ".md)"), "docs/lab/README.md does not link " + name + ".md");
            assertTrue(Files.exists(Path.of("..", "docs", "lab", name + ".md")), "no page docs/lab/" + name + ".md");
        }
    }
}
