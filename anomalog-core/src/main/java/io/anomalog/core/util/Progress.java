package io.anomalog.core.util;

/**
 * Progress of long work (parsing, training, evaluation). The command line passes a {@link ProgressBar} when
 * standard error is a terminal and {@link #NONE} otherwise; library code only reports.
 */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void advance(long amount) {
        }

        @Override
        public void status(String text) {
        }

        @Override
        public void finish() {
        }
    };

    /** Begins a task; total is -1 when unknown. */
    void start(String task, long total);

    void advance(long amount);

    /** A short status shown next to the bar (e.g. "epoch 3/10 loss 0.412"). */
    void status(String text);

    void finish();
}
