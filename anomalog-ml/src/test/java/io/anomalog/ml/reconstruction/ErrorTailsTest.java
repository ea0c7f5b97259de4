package io.anomalog.ml.reconstruction;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorTailsTest {

    /** Column 0: 0, 1, ..., 999 (uniform); column 1: a heavy-tailed count; column 2: always 0. */
    private static double[][] errors() {
        Random rnd = new Random(7);
        double[][] e = new double[1000][];
        for (int i = 0; i < e.length; i++) {
            double heavy = rnd.nextDouble() < 0.03 ? 50 + 50 * rnd.nextDouble() : rnd.nextDouble();
            e[i] = new double[]{i, heavy, 0};
        }
        return e;
    }

    @Test
    void theSurpriseIsMinusTheLogOfTheShareOfValidationErrorsAtLeastAsLarge() {
        ErrorTails t = ErrorTails.fit(errors(), 3, 0.8);
        assertEquals(0, t.surprise(0, -1), 1e-12, "below every validation error nothing is rare");
        assertEquals(0, t.surprise(0, 0), 1e-12);
        // 0..999 uniform: a share 1 - e / 999 of the errors lie at or above e
        for (double e : new double[]{99.9, 499.5, 700, 899.1}) {
            assertEquals(-Math.log(1 - e / 999), t.surprise(0, e), 1e-9, "at " + e);
        }
        assertEquals(-Math.log(0.05), t.surprise(0, 949.05), 1e-9, "the tail starts at the 95th percentile");
    }

    @Test
    void beyondThe95thPercentileTheSurpriseGrowsLinearlyWithTheMeanExcessAsItsUnit() {
        double[][] e = errors();
        ErrorTails t = ErrorTails.fit(e, 3, 0.8);
        double start = t.quantiles()[0][ErrorTails.POINTS - 1];
        double excess = 0;
        int n = 0;
        for (double[] row : e) {
            if (row[0] > start) {
                excess += row[0] - start;
                n++;
            }
        }
        assertEquals(0, t.tailShape()[0], 0.0, "a uniform excess, shorter than exponential, gets shape 0");
        assertEquals(excess / n, t.tailScale()[0], 1e-9);
        double at = -Math.log(0.05);
        assertEquals(at + 1, t.surprise(0, start + excess / n), 1e-9);
        assertEquals(at + 10, t.surprise(0, start + 10 * excess / n), 1e-9,
                "further out than any validation error the surprise still grows");
        double previous = -1;
        for (double x = -5; x < 3000; x += 7.3) {
            double s = t.surprise(0, x);
            assertTrue(s >= previous, "surprise falls at " + x);
            previous = s;
        }
    }

    @Test
    void aValueRareForAQuietFeatureOutscoresTheSameValueOnAHeavyTailedOne() {
        ErrorTails t = ErrorTails.fit(errors(), 3, 0.8);
        // 60 is common for the heavy-tailed column (3 % of its errors are 50 to 100) and unheard of for a feature
        // that never moved
        assertTrue(t.surprise(1, 60) < 5, "heavy-tailed: " + t.surprise(1, 60));
        assertTrue(t.surprise(2, 60) > 1000, "never moved: " + t.surprise(2, 60));
        assertEquals(ErrorTails.MIN_SCALE, t.tailScale()[2], 0.0, "a feature that never moved gets the least scale");
        assertTrue(t.surprise(2, 1e-12) < 3.1, "a rounding error on it stays unremarkable");
        assertTrue(t.fits(3));
        assertTrue(!t.fits(4));
    }

    @Test
    void aHeavyTailGetsAParetoShapeSoItsFarValuesAreLessSurprisingThanAnExponentialWouldMakeThem() {
        // column 0: excesses of a generalised Pareto with shape 0.3 and scale 1 (inverse transform); column 1: an
        // exponential with mean 1
        Random rnd = new Random(11);
        double[][] e = new double[40_000][];
        for (int i = 0; i < e.length; i++) {
            double u = rnd.nextDouble();
            e[i] = new double[]{(Math.pow(1 - u, -0.3) - 1) / 0.3, -Math.log(1 - rnd.nextDouble())};
        }
        ErrorTails t = ErrorTails.fit(e, 2, 0.8);
        assertEquals(0.3, t.tailShape()[0], 0.08, "the shape of the Pareto column");
        assertEquals(0, t.tailShape()[1], 0.06, "the exponential column stays (nearly) exponential");
        // beyond the tail start the exponential column's surprise grows by one per mean excess (which is 1)
        double start = t.quantiles()[1][ErrorTails.POINTS - 1];
        assertEquals(-Math.log(0.05) + 20, t.surprise(1, start + 20), 1.5);
        // the true surprise of the Pareto column: -ln P(X >= x) = ln(1 + 0.3 x) / 0.3
        for (double x : new double[]{20, 60, 200}) {
            double truth = Math.log1p(0.3 * x) / 0.3;
            assertEquals(truth, t.surprise(0, x), 0.12 * truth, "at " + x);
            assertTrue(t.surprise(0, x) < t.surprise(1, x), "heavy tail less surprised at " + x);
        }
        // with the largest shape 0 every tail is exponential, its scale the mean excess
        ErrorTails exponential = ErrorTails.fit(e, 2, 0);
        assertEquals(0, exponential.tailShape()[0], 0.0);
        assertTrue(exponential.tailScale()[0] > t.tailScale()[0], "the mean excess is above the Pareto scale");
        assertTrue(exponential.surprise(0, 200) > 1.5 * t.surprise(0, 200),
                "an exponential tail overstates how rare a far value of a heavy-tailed feature is");
    }
}
