package dev.myelin.cli.lab;

import java.util.List;
import java.util.Optional;

/** The registry of experiments {@code myelin lab} runs, in the order {@code --list} shows them. */
public final class Labs {
    private static final List<Experiment> ALL = List.of(
            new ConditioningLab(),
            BnDiscLab.LAB,
            BnPlacementLab.LAB,
            EarlyStoppingLab.LAB,
            McDropoutLab.LAB,
            ActivationsLab.LAB,
            InitLab.LAB,
            dev.myelin.cli.lab.optim.OptimizersLab.LAB,
            dev.myelin.cli.lab.optim.SchedulesLab.LAB,
            dev.myelin.cli.lab.optim.ClippingLab.LAB,
            DropoutLab.LAB,
            WeightDecayLab.LAB,
            ResidualLab.LAB,
            AugmentationLab.LAB,
            new TransferLab(),
            new SearchLab(),
            new LrBoundLab(),
            new BnLrLab(),
            new BnBatchSizeLab(),
            new BatchSizeLab(),
            new DepthLab(),
            new LikelihoodLab(),
            new ShatteredGradientsLab(),
            new ResnetEnsembleLab()
    );

    private Labs() {
    }

    public static List<Experiment> all() {
        return ALL;
    }

    public static Optional<Experiment> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(Experiment::name).toList();
    }
}
