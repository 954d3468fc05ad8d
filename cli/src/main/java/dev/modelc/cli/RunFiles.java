package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.checkpoint.AtomicFile;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one command reads and writes, checked together before it does any work, so that
 * no output can destroy an input and no run learns after hours of training that its result has
 * nowhere to go. Every command that writes a file declares its inputs and outputs here:
 *
 * <ul>
 *   <li>an output is never the same file as an input or as another output, links and hard
 *       links followed (a model, its data, a checkpoint resumed from);
 *   <li>a file replaced whole ({@link Way#REPLACED}: checkpoints, pictures, generated code) is a
 *       regular file or a new one, never a device, FIFO or folder, in a folder that takes a new
 *       file of that name (checked by making one and removing it);
 *   <li>a file written as the run goes ({@link Way#STREAMED}: a log) may also be a device or a
 *       FIFO, such as {@code /dev/stdout}, and must be writable.
 * </ul>
 */
final class RunFiles {
    /** How a command writes an output. */
    enum Way {
        /** Written whole to a temporary file and renamed over the old one. */
        REPLACED,
        /** Written row by row while the command runs. */
        STREAMED
    }

    /** A file and the words that name its part in the run: "the model file", "--save". */
    private record Role(String name, Path path, Way way) {
    }

    private final List<Role> inputs = new ArrayList<>();
    private final List<Role> outputs = new ArrayList<>();

    /** The model file and, for a model with inputs, the data it trains on (the train block's, or --data). */
    static RunFiles training(ModelSignature signature, Path modelFile, Path dataFlag) {
        RunFiles files = new RunFiles().reads("the model file", modelFile);
        if (!signature.inputs().isEmpty()) {
            files.readsData(DataFiles.source(signature, dataFlag, modelFile), modelFile, dataFlag != null);
        }
        return files;
    }

    /** The same, from the compiler's result, for a run that does not load the class here. */
    static RunFiles training(ModelCompiler.Result result, Path modelFile, Path dataFlag) {
        RunFiles files = new RunFiles().reads("the model file", modelFile);
        if (!result.simplified().inputs().isEmpty()) {
            files.readsData(DataFiles.source(result, dataFlag, modelFile), modelFile, dataFlag != null);
        }
        return files;
    }

    /** The data file, or every IDX file of a train block's {@code idx(...)}: images, labels and the test pair. */
    private void readsData(ModelSignature.Data source, Path modelFile, boolean fromFlag) {
        ModelSignature.Idx idx = fromFlag ? null : source.idx();
        if (idx == null) {
            reads("the data file", DataFiles.path(source, modelFile, fromFlag));
            return;
        }
        reads("the IDX images file", DataFiles.path(source, modelFile, false));
        reads("the IDX labels file", DataFiles.path(source.withPath(idx.labels()), modelFile, false));
        if (idx.testFiles()) {
            reads("the IDX test images file", DataFiles.path(source.withPath(idx.testImages()), modelFile, false));
            reads("the IDX test labels file", DataFiles.path(source.withPath(idx.testLabels()), modelFile, false));
        }
    }

    /** Declares a file the command reads; a null path is ignored. */
    RunFiles reads(String role, Path path) {
        if (path != null) {
            inputs.add(new Role(role, path, null));
        }
        return this;
    }

    /** Declares a file the command writes; a null path is ignored. */
    RunFiles writes(String role, Path path, Way way) {
        if (path != null) {
            outputs.add(new Role(role, path, way));
        }
        return this;
    }

    /** Refuses, as a user error naming the flag and the file, any output that breaks a rule above. */
    void check() {
        for (int o = 0; o < outputs.size(); o++) {
            Role output = outputs.get(o);
            requireFolder(output);
            Object identity = identity(output.path());
            for (Role input : inputs) {
                if (identity.equals(identity(input.path()))) {
                    throw new Failures.UserError(output.name() + " " + output.path() + " is " + input.name()
                            + ", which this run reads: writing it would destroy it; choose another name");
                }
            }
            for (Role other : outputs.subList(0, o)) {
                if (identity.equals(identity(other.path()))) {
                    throw new Failures.UserError(output.name() + " " + output.path() + " is also the file of "
                            + other.name() + "; give each output a file of its own");
                }
            }
            requireWritable(output);
        }
    }

    private static void requireFolder(Role output) {
        Path path = output.path();
        if (Files.isDirectory(path)) {
            throw new Failures.UserError(output.name() + " " + path + ": is a folder; give a file name");
        }
        Path folder = path.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new Failures.UserError(output.name() + " " + path + ": no such folder " + folder);
        }
    }

    private static void requireWritable(Role output) {
        Path path = output.path();
        if (output.way() == Way.REPLACED && Files.exists(path) && !Files.isRegularFile(path)) {
            throw new Failures.UserError(output.name() + " " + path + ": is a device, FIFO or socket, not a regular "
                    + "file, and " + output.name() + " replaces the file it names; give the name of a regular file or "
                    + "of a new one");
        }
        try {
            if (output.way() == Way.REPLACED) {
                AtomicFile.checkWritable(path);
            } else if (Files.exists(path) ? !Files.isWritable(path)
                    : !Files.isWritable(path.toAbsolutePath().getParent())) {
                throw new FileSystemException(path.toString(), null, "permission denied");
            }
        } catch (IOException e) {
            throw cannotWrite(output.name(), path, e);
        }
    }

    /** The error for an output that could not be written: the flag, the user's path, the reason. */
    static Failures.UserError cannotWrite(String flag, Path path, IOException e) {
        return new Failures.UserError((flag.isEmpty() ? "" : flag + " ") + path + ": cannot be written: " + reason(e));
    }

    /** Why writing failed, in words, without the temporary file's name a message may hold. */
    static String reason(IOException e) {
        return e instanceof FileSystemException fs ? AtomicFile.reason(fs) : String.valueOf(e.getMessage());
    }

    /**
     * What makes two paths the same file: for one that exists, its file key (device and inode,
     * where the system has them) or its real path; for one that does not, the real path of its
     * folder and its name.
     */
    static Object identity(Path path) {
        try {
            if (Files.exists(path)) {
                Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                return key != null ? key : path.toRealPath();
            }
            Path absolute = path.toAbsolutePath();
            if (Files.isSymbolicLink(absolute)) {
                absolute = absolute.resolveSibling(Files.readSymbolicLink(absolute));
            }
            Path folder = absolute.getParent();
            Path realFolder = folder != null && Files.exists(folder) ? folder.toRealPath() : folder;
            return realFolder == null ? absolute : realFolder.resolve(absolute.getFileName());
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
