package io.github.retrystarter.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the CSV that JMH writes with {@code -rf csv -rff FILE} into the tables of
 * BENCHMARKS.md: per benchmark and contender, the time with its error, the bytes allocated
 * per call (when run with {@code -prof gc}), the ratio to the floor (the empty
 * {@code MethodInterceptor}), and retry-starter's ratio to each other contender, all from the
 * one run.
 *
 * <pre>
 * java -cp retry-benchmarks/target/benchmarks.jar io.github.retrystarter.benchmarks.Ratios FILE
 * </pre>
 */
public final class Ratios {

    private static final String FLOOR = "FLOOR";
    private static final String SUBJECT = "RETRY_STARTER";

    private Ratios() {
    }

    public static void main(String[] args) throws IOException {
        // benchmark -> contender -> [score, error, bytes per op]
        Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line);
            String benchmark = cells.get(0);
            String contender = cells.get(cells.size() - 1);
            double score = Double.parseDouble(cells.get(4));
            double error = cells.get(5).isEmpty() || cells.get(5).equals("NaN") ? Double.NaN
                    : Double.parseDouble(cells.get(5));
            int colon = benchmark.indexOf(':');
            String name = simpleName(colon < 0 ? benchmark : benchmark.substring(0, colon));
            double[] row = results.computeIfAbsent(name, key -> new LinkedHashMap<>())
                    .computeIfAbsent(contender, key -> new double[] {Double.NaN, Double.NaN,
                        Double.NaN});
            if (colon < 0) {
                row[0] = score;
                row[1] = error;
            }
            else if (benchmark.endsWith(":gc.alloc.rate.norm")) {
                row[2] = score;
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, double[]>> benchmark : results.entrySet()) {
            Map<String, double[]> rows = benchmark.getValue();
            double[] floor = rows.get(FLOOR);
            double[] subject = rows.get(SUBJECT);
            out.append(String.format(Locale.ROOT, "%n### %s%n%n", benchmark.getKey()));
            out.append("| contender | ns/op | ± (99.9%) | B/op | x floor | retry-starter"
                    + " / this |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
            for (Map.Entry<String, double[]> row : rows.entrySet()) {
                double[] value = row.getValue();
                out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s | %s |%n",
                        row.getKey(), value[0], value[1],
                        Double.isNaN(value[2]) ? "-" : String.format(Locale.ROOT, "%.0f",
                                Math.abs(value[2]) < 0.5 ? 0.0 : value[2]),
                        floor == null ? "-" : ratio(value[0], floor[0]),
                        subject == null ? "-" : ratio(subject[0], value[0])));
            }
        }
        System.out.print(out);
    }

    private static String ratio(double numerator, double denominator) {
        return String.format(Locale.ROOT, "%.2f", numerator / denominator);
    }

    private static String simpleName(String benchmark) {
        int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
        return benchmark.substring(dot + 1);
    }

    /** The cells of one CSV line as JMH writes it: quoted strings, bare numbers. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            }
            else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
