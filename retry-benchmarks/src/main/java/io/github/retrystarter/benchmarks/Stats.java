package io.github.retrystarter.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Small helpers of the main programs: percentiles, and the heap in use after a full GC. */
final class Stats {

    private Stats() {
    }

    /** p50, p99 and max of {@code nanos}, in milliseconds, as one line. */
    static String percentiles(long[] nanos) {
        if (nanos.length == 0) {
            return "n=0";
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "n=%d p50=%.2fms p99=%.2fms max=%.2fms",
                sorted.length, millis(at(sorted, 0.50)), millis(at(sorted, 0.99)),
                millis(sorted[sorted.length - 1]));
    }

    private static long at(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** The heap in use after full collections, the least of a few readings. */
    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * The lines of the live-object class histogram (as {@code jcmd GC.class_histogram} prints
     * it) for classes with at least {@code minInstances} instances.
     */
    static String histogram(int minInstances) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
        String all = (String) server.invoke(diagnostics, "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        StringBuilder kept = new StringBuilder();
        for (String line : all.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[1].chars().allMatch(Character::isDigit)
                    && Long.parseLong(columns[1]) >= minInstances) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    static long elapsedMillis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
