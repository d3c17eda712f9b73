package dev.myelin.cli.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run folder, so that two processes never train into the same folder: an
 * operating-system lock on {@code FOLDER/train.lock}, which holds the owner's process id. The
 * operating system releases it when the process ends in any way, {@code kill -9} included, so a
 * killed run's folder is free to resume; the file itself stays.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE_NAME = "train.lock";

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /** The locked run folder. */
    public Path folder() {
        return folder;
    }

    /** Takes the lock on {@code folder}, or fails with an error that names the process holding it. */
    public static RunLock acquire(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            throw new UserException(folder + ": another process (pid " + (holder.isEmpty() ? "unknown" : holder)
                    + ") is training into this folder; wait for it to end, or stop it and continue with"
                    + " `myelin train --resume " + folder + "`");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new RunLock(folder, ch, lock);
    }

    /** Releases the lock (the process's end releases it too). */
    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
