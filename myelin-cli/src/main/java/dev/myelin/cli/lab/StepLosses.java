package dev.myelin.cli.lab;

import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import java.util.ArrayList;
import java.util.List;

/** Records the loss of every optimizer step (the optimization labs plot them, smoothed). */
public final class StepLosses implements Callback {
    private final List<Double> losses = new ArrayList<>();

    @Override
    public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
        losses.add(loss);
    }

    /** The losses so far, in step order. */
    public double[] values() {
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Means over consecutive windows of {@code w} values: x = the window's last step (1-based), y = its mean. */
    public static double[][] smooth(double[] v, int w) {
        int n = v.length / w;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < w; j++) {
                s += v[i * w + j];
            }
            x[i] = (i + 1) * w;
            y[i] = s / w;
        }
        return new double[][] {x, y};
    }
}
