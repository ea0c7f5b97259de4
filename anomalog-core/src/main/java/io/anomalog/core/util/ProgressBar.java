package io.anomalog.core.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal, redrawn at most every 100 ms so it costs nothing on hot paths.
 * Thread-safe: parallel workers may call {@link #advance}.
 */
public final class ProgressBar implements Progress {

    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private String task = "";
    private long total = -1;
    private long done;
    private String status = "";
    private long startNanos;
    private long lastDraw;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on standard error when it is a terminal (and not CI), else {@link Progress#NONE}. */
    public static Progress forTerminal() {
        boolean terminal = System.console() != null && System.getenv("CI") == null
                && !"dumb".equals(System.getenv("TERM"));
        return terminal ? new ProgressBar(System.err) : Progress.NONE;
    }

    @Override
    public synchronized void start(String task, long total) {
        this.task = task;
        this.total = total;
        this.done = 0;
        this.status = "";
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
        draw(true);
    }

    @Override
    public synchronized void advance(long amount) {
        done += amount;
        draw(false);
    }

    @Override
    public synchronized void status(String text) {
        status = text;
        draw(true);
    }

    @Override
    public synchronized void finish() {
        draw(true);
        out.print('\n');
        out.flush();
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder("\r").append(task).append(' ');
        if (total > 0) {
            double frac = Math.min(1.0, (double) done / total);
            int width = 30;
            int filled = (int) Math.round(frac * width);
            sb.append('[').append("=".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% %,d/%,d", frac * 100, done, total));
            if (done > 0 && done < total) {
                double eta = secs / done * (total - done);
                sb.append(String.format(Locale.ROOT, " eta %.0fs", eta));
            }
        } else {
            sb.append(String.format(Locale.ROOT, "%,d", done));
        }
        sb.append(String.format(Locale.ROOT, " %,.0f/s", done / secs));
        if (!status.isEmpty()) {
            sb.append("  ").append(status);
        }
        sb.append("\u001b[K");
        out.print(sb);
        out.flush();
    }
}
