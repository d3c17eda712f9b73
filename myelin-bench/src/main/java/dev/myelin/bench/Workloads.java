package dev.myelin.bench;

import dev.myelin.data.Dataset;
import dev.myelin.data.MnistFormat;
import dev.myelin.data.Splits;
import dev.myelin.data.Standardizer;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.ResNet;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import java.nio.file.Path;

/** The models and data of ../shared/BENCHMARKS.md, built the same way as the PyTorch twin. */
final class Workloads {
    private Workloads() {
    }

    /** Workload A: Flatten, Linear 784-256-256-10, BatchNorm1d after each hidden Linear, ReLU, Dropout(0.2). */
    static Sequential mlp(Rng rng) {
        return new Sequential(new Flatten(),
                new Linear(784, 256, rng.split("l0")), new BatchNorm1d(256), Activation.relu(), new Dropout(0.2, rng.split("d0")),
                new Linear(256, 256, rng.split("l1")), new BatchNorm1d(256), Activation.relu(), new Dropout(0.2, rng.split("d1")),
                new Linear(256, 10, rng.split("l2")));
    }

    /**
     * Workload C: stem conv3x3 16ch-BN-ReLU; 3 stages x 2 basic blocks (16/32/64 channels, stride
     * 2 between stages, 1x1 conv + BN projection shortcuts); global average pool; Linear(64, 10).
     */
    static Sequential resnet(Rng rng) {
        return new Sequential(new ResNet(1, ResNet.Config.basic(new int[] {16, 32, 64}, new int[] {2, 2, 2}), 10, rng));
    }

    /**
     * Workload B: Conv(1→32, 3x3, pad 1)-BN-ReLU-MaxPool2, Conv(32→64, 3x3, pad 1)-BN-ReLU-MaxPool2,
     * Flatten, Linear(3136→128)-ReLU-Dropout(0.3)-Linear(128→10).
     */
    static Sequential cnn(Rng rng) {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1, rng.split("c0")), new BatchNorm2d(32), Activation.relu(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, rng.split("c1")), new BatchNorm2d(64), Activation.relu(), new MaxPool2d(2),
                new Flatten(),
                new Linear(3136, 128, rng.split("l0")), Activation.relu(), new Dropout(0.3, rng.split("d0")),
                new Linear(128, 10, rng.split("l1")));
    }

    /**
     * Fashion-MNIST scaled to [0,1] and standardized with the training pixels' scalar mean/std;
     * samples are [1, 28, 28] (the convolutions take them as they are, the MLP flattens them).
     */
    static Dataset[] fashion(Path dir, int trainLimit) {
        Splits s = MnistFormat.fashionMnist(new MnistFormat.Options(dir, trainLimit, 0, 0), new Rng(0));
        Standardizer st = Standardizer.fitScalar(s.train());
        return new Dataset[] {st.apply(s.train()), st.apply(s.test())};
    }
}
