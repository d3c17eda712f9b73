package dev.myelin.spark;

import java.io.Serializable;

/**
 * What one replica's task reports to the driver.
 *
 * @param exitCode             what its {@code myelin train} returned
 * @param seconds              its training time, from joining the ring to the end
 * @param communicationSeconds of that, inside collective operations (waiting for peers included)
 * @param bytesSent            bytes it sent to the next replica
 * @param floatsReduced        floats it summed (gradients, or weights in local SGD)
 */
record ReplicaResult(int rank, int exitCode, double seconds, double communicationSeconds, long bytesSent,
                     long floatsReduced) implements Serializable {
}
