package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision-rule calibration on constructed validation sessions, and the fit bounds of the training windows. */
class CalibrationTest {

    /** 1,000 normal sessions: most keys rank 1-2, a few rank 3-6, ten have a key ranked 8. */
    private static List<SessionSurprise> validation() {
        List<SessionSurprise> v = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            int rank = i < 10 ? 8 : i < 60 ? 3 + r.nextInt(4) : 1 + r.nextInt(2);
            v.add(new SessionSurprise(rank, Math.pow(10, -rank) * (1 + r.nextDouble())));
        }
        return v;
    }

    @Test
    void theCalibratedGIsTheSmallestThatFlagsAtMostTheTarget() {
        List<SessionSurprise> v = validation();
        for (double target : new double[]{0, 0.005, 0.01, 0.03, 0.2}) {
            int g = Calibration.smallestTopG(v, target, 20);
            assertTrue(Calibration.flaggedShareAtTopG(v, g) <= target, "g=" + g + " target " + target);
            if (g > 1) {
                assertTrue(Calibration.flaggedShareAtTopG(v, g - 1) > target, "g-1 would do for " + target);
            }
        }
        assertEquals(8, Calibration.smallestTopG(v, 0, 20)); // nothing flagged: every rank 8 must be allowed
        assertEquals(6, Calibration.smallestTopG(v, 0.01, 20)); // only the ten rank-8 sessions (1%) pass g = 6
    }

    @Test
    void theCalibratedThresholdIsTheLargestThatFlagsAtMostTheTarget() {
        List<SessionSurprise> v = validation();
        for (double target : new double[]{0, 0.005, 0.01, 0.05, 0.3}) {
            double t = Calibration.largestThreshold(v, target);
            assertTrue(Calibration.flaggedShareBelow(v, t) <= target, "t=" + t + " target " + target);
            assertTrue(Calibration.flaggedShareBelow(v, Math.nextUp(t)) > target, "a larger threshold would do");
        }
    }

    @Test
    void sessionsWithKeysTheModelCannotPredictUseUpTheAllowanceFirst() {
        List<SessionSurprise> v = new ArrayList<>(validation());
        for (int i = 0; i < 5; i++) {
            v.set(100 + i, new SessionSurprise(Integer.MAX_VALUE, 0));
        }
        double t = Calibration.largestThreshold(v, 0.01);
        assertTrue(Calibration.flaggedShareBelow(v, t) <= 0.01);
        assertTrue(Calibration.flaggedShareAtTopG(v, 1000) > 0, "unpredictable keys are flagged at every g");
    }

    @Test
    void windowBoundsMatchAHandCount() {
        // history [1] is followed by 2 three times and by 3 once; history [2] always by 1
        KeyVocabulary vocab = KeyVocabulary.of(List.of(new Sequence("v", new int[]{1, 2, 3}, Label.NORMAL)));
        KeyTokens tokens = new KeyTokens(vocab);
        List<Sequence> s = List.of(
                new Sequence("a", new int[]{1, 2, 1, 2, 1, 2, 1, 3}, Label.NORMAL));
        Windows w = Windows.of(s, tokens, 1);
        assertEquals(7, w.total());
        // [1]->2 x3, [1]->3 x1, [2]->1 x3: best top-1 = (3 + 3) / 7
        assertEquals(6.0 / 7, w.top1Ceiling(), 1e-9);
        double h1 = -(3 * Math.log(0.75) + Math.log(0.25));
        assertEquals(h1 / 7, w.conditionalEntropy(), 1e-9);
    }
}
