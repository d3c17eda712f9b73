package dev.myelin.data;

import dev.myelin.data.augment.Augment;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.NoSuchElementException;

/**
 * Cuts a {@link Dataset} into mini-batches, epoch after epoch, like PyTorch's
 * {@code DataLoader(dataset, batch_size, shuffle, drop_last)}.
 *
 * <p>Shuffling: epoch {@code e} visits the samples in the order
 * {@code rng.split("epoch " + e).permutation(size)}, so the order depends only on the seed and
 * the epoch number: a new permutation each epoch, every sample exactly once, and a run resumed
 * at epoch {@code e} (see {@link #setEpoch}) sees the same batches as one that never stopped.
 *
 * <p>Each call of {@link #iterator()} is the next epoch (counting from 0). With
 * {@code prefetch > 0} a daemon thread builds up to {@code prefetch} batches ahead (default 2);
 * with 0 the batches are built on the caller's thread. An exception while building a batch
 * reaches the caller as a {@link DataException} with the original as its cause.
 *
 * <p>Shape: {@code x} is {@code [n, ...featureShape]}, {@code y} is {@code [n]}, with
 * {@code n = batchSize} except for a smaller last batch when {@code dropLast} is false.
 *
 * <p>Augmentation ({@link #setAugment}): each sample of a batch is transformed as the batch is
 * built (on the prefetch thread), drawing from a stream that depends only on the augmentation
 * seed, the epoch and the sample index (see {@link Augment}). Give it to the training loader
 * only; evaluation loaders see the data as they are.
 */
public final class DataLoader implements Iterable<Batch> {
    /** The default number of batches built ahead of the consumer. */
    public static final int DEFAULT_PREFETCH = 2;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int prefetch;
    private final Rng rng;
    private int nextEpoch;
    private Augment augment;
    private Rng augmentRng;
    private int shardRank;
    private int shardCount = 1;

    /** In order (no shuffling), keeping a smaller last batch: for evaluation. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, false, false, DEFAULT_PREFETCH, null);
    }

    /** Shuffled by {@code rng}, keeping a smaller last batch: for training. */
    public DataLoader(Dataset dataset, int batchSize, Rng rng) {
        this(dataset, batchSize, true, false, DEFAULT_PREFETCH, rng);
    }

    /**
     * @param shuffle  a new seeded permutation each epoch (needs {@code rng}); else in order
     * @param dropLast drop the last batch when it is smaller than {@code batchSize}
     * @param prefetch batches built ahead on a background thread; 0 for none
     * @param rng      the shuffling stream; may be null when {@code shuffle} is false
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, int prefetch, Rng rng) {
        if (dataset == null) {
            throw new IllegalArgumentException("DataLoader: expected a dataset, received null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: expected batchSize >= 1, received " + batchSize);
        }
        if (prefetch < 0) {
            throw new IllegalArgumentException("DataLoader: expected prefetch >= 0 (0 = none), received " + prefetch);
        }
        if (shuffle && rng == null) {
            throw new IllegalArgumentException("DataLoader: shuffle needs an Rng (e.g. rootRng.split(\"shuffle\")), received null");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.prefetch = prefetch;
        this.rng = rng;
    }

    /**
     * Augments every batch from now on with {@code pipeline}, drawing from {@code rng} (e.g.
     * {@code root.split("augment")}); null turns augmentation off. The samples must be images.
     */
    public DataLoader setAugment(Augment pipeline, Rng rng) {
        if (pipeline != null) {
            if (rng == null) {
                throw new IllegalArgumentException("DataLoader: augmentation needs an Rng (e.g. rootRng.split(\"augment\")),"
                        + " received null");
            }
            Augment.imageShape(dataset.featureShape());
        }
        this.augment = pipeline == null || pipeline.isEmpty() ? null : pipeline;
        this.augmentRng = rng;
        return this;
    }

    /**
     * Makes this loader yield replica {@code rank}'s part of every batch, for data-parallel
     * training ({@link dev.myelin.train.DataParallel}): of global batch {@code k}, holding
     * {@code n} samples, the samples {@code [floor(rank·n/count), floor((rank+1)·n/count))}.
     * The order, the batches and the augmentation stay those of the whole loader, so the
     * replicas together see exactly the batches one process would; {@link #numBatches} is
     * unchanged. Every part must hold a sample, so the smallest batch must have at least
     * {@code count}. Returns this.
     */
    public DataLoader shard(int rank, int count) {
        if (count < 1 || rank < 0 || rank >= count) {
            throw new IllegalArgumentException("DataLoader: expected a shard rank in [0, " + count + ") of count >= 1,"
                    + " received rank " + rank + " of " + count);
        }
        int n = dataset.size();
        int smallest = n < batchSize ? n : dropLast || n % batchSize == 0 ? batchSize : n % batchSize;
        if (count > 1 && smallest < count) {
            throw new IllegalArgumentException("DataLoader: " + count + " replicas need at least " + count
                    + " samples in every batch, but " + (smallest == n ? "the data set has " + n
                    : "the last batch has " + smallest + " (" + n + " samples in batches of " + batchSize + ")")
                    + "; choose a batch_size that leaves a last batch of at least " + count + ", or fewer replicas");
        }
        this.shardRank = rank;
        this.shardCount = count;
        return this;
    }

    /** The augmentation pipeline, or null when there is none. */
    public Augment augment() {
        return augment;
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: {@code floor(size / batchSize)} with drop-last, else {@code ceil(size / batchSize)}. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (int) (((long) n + batchSize - 1) / batchSize);
    }

    /** The epoch the next {@link #iterator()} call will produce. */
    public int epoch() {
        return nextEpoch;
    }

    /** Makes the next {@link #iterator()} call produce epoch {@code epoch}, e.g. when resuming. */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: expected an epoch >= 0, received " + epoch);
        }
        this.nextEpoch = epoch;
    }

    /** The next epoch's batches; the epoch counter advances by one. */
    @Override
    public BatchIterator iterator() {
        return epoch(nextEpoch++);
    }

    /** The batches of epoch {@code epoch}, without touching the epoch counter. */
    public BatchIterator epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * The batches of epoch {@code epoch} from batch {@code first} (0-based) on: the same batches
     * as {@link #epoch(int)} gives from there, since the order and the augmentation depend only
     * on the seed, the epoch and the sample. A run resumed in the middle of an epoch starts here.
     */
    public BatchIterator epoch(int epoch, int first) {
        int count = numBatches();
        if (first < 0 || first > count) {
            throw new IllegalArgumentException("DataLoader: expected a first batch in [0, " + count + "], received "
                    + first);
        }
        int[] order = order(epoch);
        Augment aug = augment;
        Rng augRng = augmentRng;
        java.util.function.IntFunction<Batch> producer = k -> batch(order, first + k, epoch, aug, augRng);
        if (prefetch == 0) {
            return new InlineIterator(count - first, producer);
        }
        return new PrefetchingIterator(count - first, producer, prefetch, "epoch " + epoch);
    }

    /** The sample order of epoch {@code epoch}: a seeded permutation, or 0..size-1 without shuffling. */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (!shuffle) {
            int[] identity = new int[n];
            for (int i = 0; i < n; i++) {
                identity[i] = i;
            }
            return identity;
        }
        return rng.split("epoch " + epoch).permutation(n);
    }

    /** Batch {@code k} (this loader's shard of it): samples {@code order[k*batchSize ..]}, copied into fresh tensors and augmented. */
    private Batch batch(int[] order, int k, int epoch, Augment aug, Rng augRng) {
        int start = k * batchSize;
        int whole = Math.min(batchSize, order.length - start);
        int from = start + (int) ((long) shardRank * whole / shardCount);
        int n = start + (int) ((long) (shardRank + 1) * whole / shardCount) - from;
        int d = dataset.featureSize();
        float[] x = new float[Math.multiplyExact(n, d)];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            dataset.features(index, x, i * d);
            y[i] = dataset.label(index);
        }
        int[] fs = dataset.featureShape();
        if (aug != null) {
            aug.applyToBatch(x, java.util.Arrays.copyOfRange(order, from, from + n), fs, augRng, epoch);
        }
        int[] shape = new int[fs.length + 1];
        shape[0] = n;
        System.arraycopy(fs, 0, shape, 1, fs.length);
        return new Batch(Tensor.of(x, shape), Tensor.of(y, n));
    }

    /** Builds each batch on the caller's thread when it is asked for. */
    private static final class InlineIterator implements BatchIterator {
        private final int count;
        private final java.util.function.IntFunction<Batch> producer;
        private int next;

        InlineIterator(int count, java.util.function.IntFunction<Batch> producer) {
            this.count = count;
            this.producer = producer;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: no more batches in this epoch");
            }
            return producer.apply(next++);
        }

        @Override
        public void close() {
            next = count;
        }
    }
}
