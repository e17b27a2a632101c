package dev.camelollama.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a JMH JSON result file and prints the results table and the ratios against the JDK baseline of the same run,
 * checked against DESIGN.md's performance budget. Run by {@code bench/run} after JMH:
 * {@code BenchReport target/bench/results.json [target/bench/concurrent-threads.txt]}.
 */
public final class BenchReport {

    private record Score(String mode, double score, double error, String unit, double median, double[] raw) {
        double low() {
            return Double.isNaN(error) ? score : score - error;
        }

        double high() {
            return Double.isNaN(error) ? score : score + error;
        }
    }

    private BenchReport() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args.length > 0 ? args[0] : "target/bench/results.json");
        Path threads = Path.of(args.length > 1 ? args[1] : "target/bench/concurrent-threads.txt");
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        Map<String, Score> scores = new LinkedHashMap<>();
        for (JsonNode result : results) {
            String name = result.path("benchmark").asText();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode metric = result.path("primaryMetric");
            double error = metric.path("scoreError").asDouble(Double.NaN);
            List<Double> raw = new ArrayList<>();
            for (JsonNode fork : metric.path("rawData")) {
                for (JsonNode iteration : fork) {
                    raw.add(iteration.asDouble());
                }
            }
            double[] sorted = raw.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted.length == 0 ? Double.NaN
                    : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            scores.put(name, new Score(result.path("mode").asText(), metric.path("score").asDouble(), error,
                    metric.path("scoreUnit").asText(), median,
                    raw.stream().mapToDouble(Double::doubleValue).toArray()));
        }

        StringBuilder out = new StringBuilder();
        out.append("| benchmark | mode | score (mean) | ± (99.9% CI) | median | unit | iterations |\n"
                   + "|---|---|---:|---:|---:|---|---|\n");
        scores.forEach((name, s) -> out.append(String.format(Locale.ROOT, "| %s | %s | %,.1f | %,.1f | %,.1f | %s | %s |%n",
                name, s.mode(), s.score(), s.error(), s.median(), unit(s), iterations(s.raw()))));

        out.append("\n| ratio | of means | of medians | range from the CIs | target | met? |\n"
                   + "|---|---:|---:|---:|---|---|\n");
        timeRatio(out, scores, "SequentialChatBenchmark.camelStreamingOff", "SequentialChatBenchmark.jdkHttpClient",
                "sequential chat, streaming=off: camel time / JDK time", 0.4);
        timeRatio(out, scores, "SequentialChatBenchmark.camelStreamingAggregate",
                "SequentialChatBenchmark.jdkHttpClient",
                "sequential chat, streaming=aggregate: camel time / JDK time", 0.4);
        rateRatio(out, scores, "StreamingBenchmark.camelAggregate", "StreamingBenchmark.jdkHttpClient",
                "10k-chunk aggregate: camel chunks/s / JDK chunks/s", 2.0);
        rateRatio(out, scores, "StreamingBenchmark.camelSplit", "StreamingBenchmark.jdkHttpClient",
                "10k-chunk split: camel chunks/s / JDK chunks/s", 0.5);
        rateRatio(out, scores, "ConcurrentStreamsBenchmark.camelAggregate32Streams",
                "StreamingBenchmark.jdkHttpClient",
                "32 x 1k concurrent aggregate: total chunks/s / JDK single-stream chunks/s", Double.NaN);
        System.out.print(out);
        if (Files.exists(threads)) {
            System.out.println();
            System.out.println("Thread census of the concurrent benchmark (" + threads + "):");
            System.out.print(Files.readString(threads));
        }
    }

    private static String verdict(boolean byMeans, boolean byMedians) {
        return byMeans && byMedians ? "yes" : !byMeans && !byMedians ? "**no**" : "unclear (means vs medians)";
    }

    private static String range(double low, double high, boolean defined) {
        return defined ? String.format(Locale.ROOT, "%.2f–%.2f×", low, high) : "n/a (a CI reaches 0)";
    }

    private static String iterations(double[] raw) {
        StringBuilder text = new StringBuilder();
        for (double value : raw) {
            text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", value));
        }
        return text.toString();
    }

    private static String unit(Score s) {
        return s.unit().equals("ops/s") ? "chunks/s" : s.unit();
    }

    private static void timeRatio(StringBuilder out, Map<String, Score> scores, String camel, String jdk,
                                  String label, double atMost) {
        Score c = scores.get(camel);
        Score j = scores.get(jdk);
        if (c == null || j == null) {
            return;
        }
        double ratio = c.score() / j.score();
        double medians = c.median() / j.median();
        out.append(String.format(Locale.ROOT, "| %s | %.2f× | %.2f× | %s | ≤ %.1f× | %s |%n", label, ratio, medians,
                range(c.low() / j.high(), c.high() / j.low(), c.low() > 0 && j.low() > 0), atMost,
                verdict(ratio <= atMost, medians <= atMost)));
    }

    private static void rateRatio(StringBuilder out, Map<String, Score> scores, String camel, String jdk,
                                  String label, double atLeast) {
        Score c = scores.get(camel);
        Score j = scores.get(jdk);
        if (c == null || j == null) {
            return;
        }
        double ratio = c.score() / j.score();
        double medians = c.median() / j.median();
        String target = Double.isNaN(atLeast) ? "(no target)" : String.format(Locale.ROOT, "≥ %.1f×", atLeast);
        String met = Double.isNaN(atLeast) ? "–" : verdict(ratio >= atLeast, medians >= atLeast);
        out.append(String.format(Locale.ROOT, "| %s | %.2f× | %.2f× | %s | %s | %s |%n", label, ratio, medians,
                range(Math.max(0, c.low()) / j.high(), c.high() / j.low(), j.low() > 0), target, met));
    }
}
