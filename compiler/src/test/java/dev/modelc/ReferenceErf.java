package dev.modelc;

/**
 * The error function as the tests compute it, independently of the runtime's: its alternating
 * Maclaurin series up to 4 (where rounding in the series stays near 1e-11), and beyond, one
 * minus the asymptotic series of erfc cut at its smallest term.
 */
final class ReferenceErf {
    private ReferenceErf() {
    }

    static double erf(double x) {
        double a = Math.abs(x);
        double r = a <= 4 ? maclaurin(a) : 1 - asymptoticErfc(a);
        return x < 0 ? -r : r;
    }

    /** 2/√π Σ (-1)^n x^(2n+1) / (n! (2n + 1)). */
    private static double maclaurin(double x) {
        double power = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            power *= -x * x / n;
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-18 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** e^(-x²) / (x √π) Σ (-1)^n (2n - 1)!! / (2x²)^n, summed while its terms shrink. */
    private static double asymptoticErfc(double x) {
        double term = 1;
        double sum = 1;
        for (int n = 1; n < 100; n++) {
            double next = -term * (2 * n - 1) / (2 * x * x);
            if (Math.abs(next) >= Math.abs(term)) {
                break;
            }
            term = next;
            sum += term;
        }
        return Math.exp(-x * x) / (x * Math.sqrt(Math.PI)) * sum;
    }
}
