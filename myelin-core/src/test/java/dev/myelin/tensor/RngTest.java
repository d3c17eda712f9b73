package dev.myelin.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void drawsExactlyWhatSplittableRandomDraws() {
        for (long seed : new long[] {0, 1, -7, 0x123456789ABCDEFL, Long.MIN_VALUE}) {
            Rng rng = new Rng(seed);
            SplittableRandom ref = new SplittableRandom(seed);
            for (int i = 0; i < 20_000; i++) {
                switch (i % 4) {
                    case 0 -> assertEquals(ref.nextLong(), rng.nextLong());
                    case 1 -> assertEquals(ref.nextDouble(), rng.nextDouble());
                    case 2 -> {
                        int bound = 1 + (i * 7919) % 1_000_003; // odd and even bounds
                        assertEquals(ref.nextInt(bound), rng.nextInt(bound), "bound " + bound);
                    }
                    default -> assertEquals(ref.nextInt(1 << (i % 31)), rng.nextInt(1 << (i % 31)));
                }
            }
            int big = Integer.MAX_VALUE - 5; // rejection is frequent near 2^31
            for (int i = 0; i < 1000; i++) {
                assertEquals(ref.nextInt(big), rng.nextInt(big));
            }
        }
    }

    @Test
    void aSavedStateContinuesTheSameStream() {
        Rng a = new Rng(42);
        for (int i = 0; i < 1234; i++) {
            a.nextGaussian();
        }
        long saved = a.state();
        double[] expected = new double[100];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = a.nextDouble();
        }
        Rng b = new Rng(42);
        b.setState(saved);
        for (double e : expected) {
            assertEquals(e, b.nextDouble());
        }
        assertEquals(new Rng(42).split("x").nextLong(), b.split("x").nextLong(), "split depends on the seed only");
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).nextInt(0));
    }
}
