import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Rows of a made-up shop for {@code embedding.model}: who buys, by a rule known exactly. Each
 * row has an id, two categories (city 0..7, product 0..11), two numbers (price 1..100 and the
 * buyer's age 18..80) and the label {@code buys}: 1 when
 * {@code CITY[city] + PRODUCT[product] - 0.04 * (price - 50) + 0.03 * (age - 49)} is positive.
 * Rows whose score lies within 0.25 of zero are drawn again, so the classes have a margin. The
 * id column is noise a model must ignore. The same seed gives the same rows; JDK only:
 * {@code java samples/data/ShopRows.java ROWS SEED OUT.csv}.
 */
public final class ShopRows {
    static final double[] CITY = {1.5, -1.0, 0.5, -2.0, 2.0, 0.0, -0.5, 1.0};
    static final double[] PRODUCT = {-1.5, 2.5, 0.5, -0.5, 1.0, -2.5, 0.0, 1.5, -1.0, 2.0, -2.0, 0.75};
    static final double MARGIN = 0.25;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ShopRows ROWS SEED OUT.csv");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[2])))) {
            out.print("id,city,price,product,age,buys\n");
            for (int id = 0; id < rows; ) {
                int city = random.nextInt(CITY.length);
                int product = random.nextInt(PRODUCT.length);
                int price = 1 + random.nextInt(100);
                int age = 18 + random.nextInt(63);
                double score = score(city, product, price, age);
                if (Math.abs(score) < MARGIN) {
                    continue;
                }
                out.printf(Locale.ROOT, "%d,%d,%d,%d,%d,%d\n", id++, city, price, product, age, score > 0 ? 1 : 0);
            }
        }
    }

    static double score(int city, int product, int price, int age) {
        return CITY[city] + PRODUCT[product] - 0.04 * (price - 50) + 0.03 * (age - 49);
    }
}
