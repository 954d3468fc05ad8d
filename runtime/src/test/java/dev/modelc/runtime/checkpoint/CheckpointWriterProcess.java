package dev.modelc.runtime.checkpoint;

import java.nio.file.Path;

/**
 * The program {@link KilledWhileSavingTest} starts and kills: it saves version 1, 2, 3, ... of
 * a {@link WideModel} run to one path, as fast as it can, and prints {@code saved N} after each
 * save has returned.
 *
 * <p>Arguments: the checkpoint's path, the model's width, the run's number.
 */
final class CheckpointWriterProcess {
    private CheckpointWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        long run = Long.parseLong(args[2]);
        System.out.println("ready");
        System.out.flush();
        for (long version = 1; ; version++) {
            WideModel.checkpoint(size, run, version).write(path);
            System.out.println("saved " + version);
            System.out.flush();
        }
    }
}
