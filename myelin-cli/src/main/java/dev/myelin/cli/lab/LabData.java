package dev.myelin.cli.lab;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Dataset;
import dev.myelin.data.MnistFormat;
import dev.myelin.data.Splits;
import dev.myelin.data.Standardizer;

/** The data sets experiments share. */
public final class LabData {
    private LabData() {
    }

    /**
     * Fashion-MNIST as workload A uses it: pixels in [0, 1], standardized with the training
     * pixels' mean and standard deviation (fitted on the training part only).
     *
     * @param train      training images to keep (0 = all 60,000), taken before the validation split
     * @param validation images held out of those for validation (0 = none)
     * @param test       test images to keep (0 = all 10,000)
     */
    public static Splits fashion(LabContext ctx, int train, int validation, int test) {
        MnistFormat.Options o = MnistFormat.Options.defaults().withDir(ctx.dataDir()).withTrainLimit(train)
                .withValidationCount(validation);
        Splits s = MnistFormat.fashionMnist(o, ctx.rng().split("validation"));
        Dataset testSet = test > 0 ? ArrayDataset.firstOf(s.test(), test) : s.test();
        s = new Splits(s.train(), s.validation(), testSet);
        return s.map(Standardizer.fitScalar(s.train())::apply);
    }
}
