package io.anomalog.ml.baseline;

/** Silences LIBSVM's and LIBLINEAR's solver chatter, which they print on standard output. */
final class Quiet {

    private Quiet() {
    }

    static void libsvm() {
        libsvm.svm.svm_set_print_string_function(s -> {
        });
    }

    static void liblinear() {
        de.bwaldvogel.liblinear.Linear.disableDebugOutput();
    }
}
