package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NumPy reads a written file by the format's rules alone (header length, JSON, offsets). Skipped
 * where python3 with NumPy is not installed, so the build never depends on it.
 */
class NumpyReadsCheckpointTest {
    private static final String SCRIPT = String.join("\n",
            "import json, struct, sys",
            "import numpy as np",
            "raw = open(sys.argv[1], 'rb').read()",
            "n = struct.unpack('<Q', raw[:8])[0]",
            "header = json.loads(raw[8:8 + n])",
            "for name, t in header.items():",
            "    if name == '__metadata__':",
            "        continue",
            "    begin, end = t['data_offsets']",
            "    dtype = {'F64': '<f8', 'F32': '<f4'}[t['dtype']]",
            "    a = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=dtype).reshape(t['shape'])",
            "    print(name, list(a.shape), ' '.join(repr(float(v)) for v in a.ravel()))");

    @TempDir
    Path temp;

    @Test
    void numpyReadsTheTensors() throws Exception {
        assumeTrue(numpyAvailable(), "python3 with NumPy is not installed");
        Path path = temp.resolve("t.safetensors");
        SafetensorsFileTest.sample().write(path);
        Process python = new ProcessBuilder("python3", "-c", SCRIPT, path.toString()).redirectErrorStream(true).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        python.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, python.exitValue(), out);
        assertEquals(List.of("W [2, 3] 1.0 -2.0 3.5 1e-300 -0.0 7.0",
                "b.velocity [3] 0.25 " + (double) (float) 0.1 + " -8.0",
                "s [] " + Math.PI), out.lines().toList());
    }

    private static boolean numpyAvailable() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
