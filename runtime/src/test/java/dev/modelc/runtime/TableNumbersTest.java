package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TableNumbersTest {
    @Test
    void sixDecimalsWhereTheyShowTheValue() {
        // The seed example's table, as it has always read.
        assertEquals("-3.000000", TableNumbers.format(-3.0));
        assertEquals("27.000000", TableNumbers.format(27.0));
        assertEquals("0.004564", TableNumbers.format(0.0045638));
        assertEquals("-0.000508", TableNumbers.format(-0.000508));
        assertEquals("0.000100", TableNumbers.format(1e-4));
        assertEquals("9999999.000000", TableNumbers.format(9_999_999.0));
        assertEquals("0.000000", TableNumbers.format(0.0));
        assertEquals("NaN", TableNumbers.format(Double.NaN));
        assertEquals("Infinity", TableNumbers.format(Double.POSITIVE_INFINITY));
    }

    @Test
    void scientificWhereSixDecimalsWouldNot() {
        assertEquals("7.9e-09", TableNumbers.format(7.9e-9));
        assertEquals("7.92e-09", TableNumbers.format(7.9231e-9));
        assertEquals("5.11e+18", TableNumbers.format(5112534338181146600.0));
        assertEquals("-5.11e+18", TableNumbers.format(-5112534338181146600.0));
        assertEquals("1e+07", TableNumbers.format(1e7));
        assertEquals("9.99e-05", TableNumbers.format(9.99e-5));
        assertEquals("1e-300", TableNumbers.format(1e-300));
    }
}
