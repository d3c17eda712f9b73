package dev.myelin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** CIFAR-10's six binary batches with random records, for config tests that need images [3, 32, 32]. */
public final class CifarFiles {
    private CifarFiles() {
    }

    /** Writes {@code perFile} random records (label byte, 3,072 pixel bytes) into each batch file under {@code dir}. */
    public static Path write(Path dir, int perFile, long seed) throws IOException {
        Path d = Files.createDirectories(dir);
        Random r = new Random(seed);
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            byte[] b = new byte[perFile * 3073];
            r.nextBytes(b);
            for (int i = 0; i < perFile; i++) {
                b[i * 3073] = (byte) r.nextInt(10);
            }
            Files.write(d.resolve(f), b);
        }
        return d;
    }
}
