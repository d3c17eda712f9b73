package dev.myelin.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.cli.Cli;
import dev.myelin.data.augment.Blur;
import dev.myelin.data.augment.Crop;
import dev.myelin.data.augment.Erase;
import dev.myelin.data.augment.Flip;
import dev.myelin.data.augment.Noise;
import dev.myelin.data.augment.Rotate;
import dev.myelin.data.augment.Scale;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transform named without options in a config is the core transform's own defaults, held in one place. */
class AugmentDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void aBareTransformNameIsTheCoreDefaults() throws Exception {
        RunConfig c = ConfigLoader.load(Cli.write(dir, "a.yaml", """
                data: {dataset: fashion-mnist, augment: [flip, crop, rotate, scale, noise, blur, erase]}
                model: [flatten, {linear: {out: 10}}]
                """), List.of(), null);
        assertEquals(List.of(new Flip(), new Crop(), new Rotate(), new Scale(), new Noise(), new Blur(), new Erase()),
                c.data().augment());
    }
}
