package dev.modelc.cli;

import java.util.Locale;
import picocli.CommandLine;

/** The {@code --memory-budget} option of the commands that plan a model's memory. */
final class MemoryOptions {
    @CommandLine.Option(names = "--memory-budget", paramLabel = "BYTES", converter = ByteCount.class,
            description = "recompute stored values in the backward pass until the activation arrays take at most "
                    + "BYTES (or k, M, G of 1024, 1024^2, 1024^3 bytes) at the train block's batch size")
    long budget;

    /** A byte count such as {@code 65536}, {@code 64k} or {@code 2M}. */
    static final class ByteCount implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            long unit = 1;
            if (!text.isEmpty() && "kmg".indexOf(text.charAt(text.length() - 1)) >= 0) {
                unit = 1L << (10 * ("kmg".indexOf(text.charAt(text.length() - 1)) + 1));
                text = text.substring(0, text.length() - 1);
            }
            try {
                long count = Long.parseLong(text);
                if (count < 1 || count > Long.MAX_VALUE / unit) {
                    throw new NumberFormatException();
                }
                return count * unit;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("`" + value
                        + "` is not a byte count; write a whole number of bytes, such as 65536 or 64k");
            }
        }
    }
}
