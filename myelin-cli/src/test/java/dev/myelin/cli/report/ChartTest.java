package dev.myelin.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.style.Styler;

class ChartTest {
    @Test
    void logTicksAreLabelledWithTheValuesThemselves() {
        assertEquals("1", Chart.powerOfTen(0));
        assertEquals("0.001", Chart.powerOfTen(-3));
        assertEquals("2", Chart.powerOfTen(Math.log10(2)));
        assertEquals("1.26", Chart.powerOfTen(0.1));
        assertEquals("0.794", Chart.powerOfTen(-0.1));
        assertEquals("1e-4", Chart.powerOfTen(-4));
        assertEquals("3.2e5", Chart.powerOfTen(5.5));
    }

    @Test
    void aCategoricalAxisNamesTheWholeNumbersOnly() {
        java.util.List<String> names = java.util.List.of("sgd", "adam");
        assertEquals("sgd", Chart.categoryLabel(names, 0));
        assertEquals("adam", Chart.categoryLabel(names, 1.0000000001));
        assertEquals("", Chart.categoryLabel(names, 0.5).strip());
        assertEquals("", Chart.categoryLabel(names, -0.5).strip());
        assertEquals("", Chart.categoryLabel(names, 2).strip());
        assertTrue(!Chart.categoryLabel(names, 0.5).equals(Chart.categoryLabel(names, -0.5)),
                "XChart drops ticks whose labels repeat");
    }

    @Test
    void legendsStayOffTheData() {
        assertThrows(IllegalArgumentException.class, () -> Chart.of("t", "x", "y").legend(Styler.LegendPosition.InsideNE));
        Chart.of("t", "x", "y").legend(Styler.LegendPosition.OutsideS);
    }

    @Test
    void thePaletteHasTenDistinctHues() {
        assertEquals(10, Arrays.stream(Chart.PALETTE).distinct().count());
        for (Color a : Chart.PALETTE) {
            for (Color b : Chart.PALETTE) {
                if (a != b) {
                    double d = Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
                            + Math.abs(a.getBlue() - b.getBlue());
                    assertTrue(d > 60, a + " and " + b + " are too close");
                }
            }
        }
    }
}
