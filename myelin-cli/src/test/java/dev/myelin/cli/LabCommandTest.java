package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.cli.lab.Labs;
import org.junit.jupiter.api.Test;

class LabCommandTest {
    @Test
    void listNamesEveryExperimentWithItsDescription() {
        Cli.Result r = Cli.run("lab", "--list");
        assertEquals(0, r.code(), r.toString());
        Labs.all().forEach(e -> assertTrue(r.out().contains(e.name()) && r.out().contains(e.description()), r.toString()));
    }

    @Test
    void unknownExperimentIsAUserErrorThatListsTheNames() {
        Cli.Result r = Cli.run("lab", "no-such-lab").noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no experiment named 'no-such-lab'"), r.toString());
    }
}
