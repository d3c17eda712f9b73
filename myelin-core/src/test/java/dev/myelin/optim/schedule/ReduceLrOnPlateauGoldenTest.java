package dev.myelin.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Performance scheduling replays torch's ReduceLROnPlateau on scripted metric sequences
 * (golden/optim_plateau.json): modes min/max, thresholds rel/abs, patience, cooldown, min_lr and
 * the eps that skips tiny reductions.
 */
class ReduceLrOnPlateauGoldenTest {
    static Stream<Integer> cases() {
        return IntStream.range(0, Golden.load("optim_plateau.json").get("cases").size()).boxed();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorch(int index) {
        Golden g = Golden.load("optim_plateau.json");
        Golden c = g.get("cases").get(index);
        Golden o = c.get("options");
        ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(new ReduceLrOnPlateau.Options(
                ReduceLrOnPlateau.Mode.valueOf(o.get("mode").asString().toUpperCase(Locale.ROOT)),
                o.get("factor").asDouble(), (int) o.get("patience").asLong(), o.get("threshold").asDouble(),
                ReduceLrOnPlateau.ThresholdMode.valueOf(o.get("threshold_mode").asString().toUpperCase(Locale.ROOT)),
                (int) o.get("cooldown").asLong(), o.get("min_lr").asDouble(), o.get("eps").asDouble()));
        Sgd opt = new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), Sgd.Options.of(c.get("base_lr").asDouble()));
        Golden.Tolerance tol = g.tolerance();
        for (int k = 0; k < c.get("metrics").size(); k++) {
            plateau.step(opt, c.get("metrics").get(k).asDouble());
            double want = c.get("lrs").get(k).asDouble();
            assertTrue(Math.abs(opt.lr() - want) <= tol.atol() + tol.rtol() * want,
                    c.get("name").asString() + " after metric " + k + ": expected lr " + want + ", got " + opt.lr());
        }
    }
}
