package dev.myelin.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * Copies a remote data folder ({@code hdfs://}, {@code s3a://}, any file system the cluster's
 * Hadoop knows) into a task's scratch folder, once per folder, with Hadoop's {@link FileSystem}
 * configured as Spark configures it (the cluster's {@code core-site.xml} and the job's
 * {@code spark.hadoop.*} settings).
 */
final class HadoopCopy implements Function<String, Path> {
    private final Path scratch;
    private final Map<String, Path> copies = new HashMap<>();

    HadoopCopy(Path scratch) {
        this.scratch = scratch;
    }

    @Override
    public Path apply(String dir) {
        return copies.computeIfAbsent(dir, d -> {
            Path local = scratch.resolve("data-" + copies.size());
            Configuration conf = new Configuration();
            if (SparkEnv.get() != null) {
                for (Tuple2<String, String> kv : SparkEnv.get().conf().getAllWithPrefix("spark.hadoop.")) {
                    conf.set(kv._1(), kv._2());
                }
            }
            try {
                URI uri = URI.create(d);
                FileSystem fs = FileSystem.get(uri, conf);
                fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(uri), new org.apache.hadoop.fs.Path(local.toUri()),
                        true);
                return local;
            } catch (IOException | IllegalArgumentException e) {
                throw new UncheckedIOException("data.dir " + d + ": cannot copy it through Hadoop's file system: "
                        + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
            }
        });
    }
}
