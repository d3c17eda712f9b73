package dev.myelin.model.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The did-you-mean behind every "unknown key" and "unknown command" message. */
class SourceTest {
    @Test
    void aSwapOfNeighbouringLettersIsOneEdit() {
        assertEquals(1, Source.distance("trian", "train"));
        assertEquals(1, Source.distance("lienar", "linear"));
        assertEquals(2, Source.distance("tiarn", "train")); // a swap is only of neighbours
        assertEquals(0, Source.distance("batch-size", "batch_size"));
        assertEquals(3, Source.distance("", "abc"));
    }

    @Test
    void suggestsOnlyPlausibleTypos() {
        List<String> commands = List.of("train", "eval", "predict", "augment", "lab");
        assertEquals("train", Source.didYouMean("trian", commands));
        assertEquals("predict", Source.didYouMean("prdict", commands));
        assertNull(Source.didYouMean("search", commands));
    }
}
