package io.kworker.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns JMH JSON result files ({@code -rf json}, and the files the plain programs write in the same
 * shape) into a PNG bar chart of kworker's ratio to its baseline in the same run, and a Markdown table
 * of the same comparisons. Java2D and ImageIO only; a small JSON reader is included.
 *
 * <p>A throughput figure is the median of all iterations of all forks; a sample-time figure is the
 * mean ("score") or a percentile.
 *
 * <p>Every bar is oriented so that right of 1.0 means kworker is better: for throughput it is
 * kworker / baseline, for times and bytes baseline / kworker. The x axis is logarithmic.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.Chart -Dbench.args='docs/performance.png docs/results/table.md docs/results/*.json'}
 * (the shell expands the glob; the first two arguments are the outputs).
 */
public final class Chart {

  /** One comparison: metric is "score", "p50" or "p99"; a name may be "a+b" for a sum. */
  record Cmp(String group, String label, String kworker, String baseline, String baselineName,
      String metric, boolean higherIsBetter) {}

  static final List<Cmp> COMPARISONS = List.of(
      new Cmp("1 throughput", "queue+run, 1 producer (JMH)", "QueueThroughput.p1_kworker",
          "QueueThroughput.p1_stpe", "STPE(1)", "score", true),
      new Cmp("1 throughput", "queue+run, 4 producers (JMH)", "QueueThroughput.p4_kworker",
          "QueueThroughput.p4_stpe", "STPE(1)", "score", true),
      new Cmp("1 throughput", "queue+run, 1 producer (interleaved)", "InterleavedThroughput.p1_kworker",
          "InterleavedThroughput.p1_stpe", "STPE(1)", "score", true),
      new Cmp("1 throughput", "queue+run, 4 producers (interleaved)", "InterleavedThroughput.p4_kworker",
          "InterleavedThroughput.p4_stpe", "STPE(1)", "score", true),
      new Cmp("1 throughput", "CPU per work, 1 producer (interleaved)",
          "InterleavedThroughput.cpu_p1_kworker", "InterleavedThroughput.cpu_p1_stpe", "STPE(1)", "score",
          false),
      new Cmp("1 throughput", "CPU per work, 4 producers (interleaved)",
          "InterleavedThroughput.cpu_p4_kworker", "InterleavedThroughput.cpu_p4_stpe", "STPE(1)", "score",
          false),
      new Cmp("1 throughput", "(reference) singleThreadExecutor, 1 producer (JMH)",
          "QueueThroughput.p1_singleThreadExecutor", "QueueThroughput.p1_stpe", "STPE(1)", "score", true),
      new Cmp("2 cancelSync", "cancelSync queued, p50", "RoundTrip.kworker_cancelSyncQueued",
          "RoundTrip.stpe_submitGet", "STPE submit().get()", "p50", false),
      new Cmp("2 cancelSync", "cancelSync queued, mean", "RoundTrip.kworker_cancelSyncQueued",
          "RoundTrip.stpe_submitGet", "STPE submit().get()", "score", false),
      new Cmp("2 cancelSync", "cancelSync armed, p50", "RoundTrip.kworker_cancelSyncArmed",
          "RoundTrip.stpe_submitGet", "STPE submit().get()", "p50", false),
      new Cmp("2 cancelSync", "(reference) Akka ask, p50", "RoundTrip.akka_ask", "RoundTrip.stpe_submitGet",
          "STPE submit().get()", "p50", false),
      new Cmp("2 cancelSync", "cancelSync running, from return, p50",
          "CompletionLatency.kworker_cancelSyncRunning_fromReturn",
          "CompletionLatency.stpe_submitGet_fromReturn", "STPE get() from task return", "p50", false),
      new Cmp("2 cancelSync", "(reference) Akka ask, from reply, p50", "CompletionLatency.akka_ask_fromReply",
          "CompletionLatency.stpe_submitGet_fromReturn", "STPE get() from task return", "p50", false),
      new Cmp("3 armed 1M", "arm + cancel per work", "ArmedDelayed.kworker_arm+ArmedDelayed.kworker_cancel",
          "ArmedDelayed.stpe_schedule+ArmedDelayed.stpe_cancel", "STPE schedule+cancel", "score", false),
      new Cmp("3 armed 1M", "arm per work", "ArmedDelayed.kworker_arm", "ArmedDelayed.stpe_schedule",
          "STPE schedule", "score", false),
      new Cmp("3 armed 1M", "cancel per work", "ArmedDelayed.kworker_cancel", "ArmedDelayed.stpe_cancel",
          "STPE cancel", "score", false),
      new Cmp("3 armed 1M", "heap per armed work", "ArmedDelayed.kworker_armedBytes",
          "ArmedDelayed.stpe_armedBytes", "STPE", "score", false),
      new Cmp("4 timer 5 ms", "lateness p50, timer thread (shipped)", "TimerLateness.kworker_thread_p50",
          "TimerLateness.stpe_p50", "STPE", "score", false),
      new Cmp("4 timer 5 ms", "lateness p99, timer thread (shipped)", "TimerLateness.kworker_thread_p99",
          "TimerLateness.stpe_p99", "STPE", "score", false),
      new Cmp("4 timer 5 ms", "(reference) lateness p99, Akka scheduler, 10 ms tick",
          "TimerLateness.kworker_akka10ms_p99", "TimerLateness.stpe_p99", "STPE", "score", false),
      new Cmp("4 timer 5 ms", "(reference) lateness p99, Akka scheduler, 1 ms tick",
          "TimerLateness.kworker_akka1ms_p99", "TimerLateness.stpe_p99", "STPE", "score", false),
      new Cmp("4 timer 5 ms", "idle CPU, one idle worker (shipped)", "TimerLateness.idleProcess_thread",
          "TimerLateness.idleProcess_noActorSystem", "JVM without an actor system", "score", false),
      new Cmp("5 footprint", "heap per idle worker, shared (100k)", "Footprint.kworker_shared_heapBytes",
          "Footprint.actor_idle_heapBytes", "idle typed actor", "score", false),
      new Cmp("5 footprint", "create per worker, shared", "Footprint.kworker_shared_create",
          "Footprint.actor_idle_create", "idle typed actor", "score", false),
      new Cmp("5 footprint", "heap per idle worker, dedicated (1k)", "Footprint.kworker_dedicated_heapBytes",
          "Footprint.executor_single_heapBytes", "single-thread executor", "score", false),
      new Cmp("5 footprint", "create per worker, dedicated", "Footprint.kworker_dedicated_create",
          "Footprint.executor_single_create", "single-thread executor", "score", false),
      new Cmp("6 executor", "submit+run, 1 producer (JMH)", "ExecutorThroughput.submit_kworker",
          "ExecutorThroughput.submit_stpe", "STPE(1)", "score", true),
      new Cmp("6 executor", "schedule 1 h + cancel(false) per task", "ExecutorThroughput.scheduleCancel_kworker",
          "ExecutorThroughput.scheduleCancel_stpeRemoveOnCancel", "STPE(1), removeOnCancel", "score", false),
      new Cmp("6 executor", "the same, against STPE's default policy", "ExecutorThroughput.scheduleCancel_kworker",
          "ExecutorThroughput.scheduleCancel_stpe", "STPE(1), cancelled tasks kept", "score", false),
      new Cmp("6 executor", "(reference) the worker alone: queueDelayed + cancel",
          "ExecutorThroughput.scheduleCancel_worker", "ExecutorThroughput.scheduleCancel_stpeRemoveOnCancel",
          "STPE(1), removeOnCancel", "score", false),
      new Cmp("6 executor", "cancelSync running, from return, p50",
          "ExecutorLatency.executor_cancelSyncRunning_fromReturn", "ExecutorLatency.stpe_submitGet_fromReturn",
          "STPE get() from task return", "p50", false),
      new Cmp("6 executor", "the same, against the executor's own Future.get",
          "ExecutorLatency.executor_cancelSyncRunning_fromReturn", "ExecutorLatency.executor_submitGet_fromReturn",
          "executor get() from task return", "p50", false),
      new Cmp("6 executor", "cancel(true) until the task sees it, p50", "ExecutorLatency.executor_cancelTrue_interrupt",
          "ExecutorLatency.stpe_cancelTrue_interrupt", "STPE cancel(true)", "p50", false),
      new Cmp("6 executor", "(reference) worker cancelSync(work, 0) interrupt, p50",
          "ExecutorLatency.kworker_cancelSyncZeroGrace_interrupt", "ExecutorLatency.stpe_cancelTrue_interrupt",
          "STPE cancel(true)", "p50", false));

  record Metric(double score, double p50, double p99, String unit) {
    double get(String which) {
      return switch (which) {
        case "p50" -> p50;
        case "p99" -> p99;
        default -> score;
      };
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: Chart out.png out-table.md results.json...");
      System.exit(2);
    }
    Map<String, Metric> metrics = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      for (Object o : (List<?>) new Json(Files.readString(Path.of(args[i]))).value()) {
        Map<?, ?> m = (Map<?, ?>) o;
        String name = ((String) m.get("benchmark")).replace("io.kworker.bench.", "");
        Map<?, ?> pm = (Map<?, ?>) m.get("primaryMetric");
        Map<?, ?> pct = (Map<?, ?>) pm.get("scorePercentiles");
        // throughput and single-shot: the median of every iteration of every fork (the JSON's
        // "score" is their mean, which one noisy fork can drag); sample mode: the mean and percentiles
        double score = num(pm.get("score"));
        if (!"sample".equals(m.get("mode")) && pm.get("rawData") instanceof List<?> forks) {
          List<Double> all = new ArrayList<>();
          for (Object f : forks) {
            for (Object x : (List<?>) f) {
              all.add(num(x));
            }
          }
          if (!all.isEmpty()) {
            score = Bench.median(all.stream().mapToDouble(Double::doubleValue).toArray());
          }
        }
        double p50 = pct == null ? Double.NaN : num(pct.get("50.0"));
        double p99 = pct == null ? Double.NaN : num(pct.get("99.0"));
        metrics.put(name, new Metric(score, p50, p99, (String) pm.get("scoreUnit")));
      }
    }
    List<Object[]> rows = new ArrayList<>(); // cmp, kworker value, baseline value, unit, advantage
    for (Cmp c : COMPARISONS) {
      double k = value(metrics, c.kworker(), c.metric());
      double b = value(metrics, c.baseline(), c.metric());
      if (Double.isNaN(k) || Double.isNaN(b)) {
        continue;
      }
      String unit = metrics.get(c.kworker().split("\\+")[0]).unit();
      double adv = c.higherIsBetter() ? k / b : b / k;
      rows.add(new Object[] {c, k, b, unit, adv});
    }
    writeTable(Path.of(args[1]), rows);
    draw(Path.of(args[0]), rows);
  }

  static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  static double value(Map<String, Metric> metrics, String names, String which) {
    double sum = 0;
    for (String n : names.split("\\+")) {
      Metric m = metrics.get(n);
      if (m == null) {
        return Double.NaN;
      }
      sum += m.get(which);
    }
    return sum;
  }

  static void writeTable(Path out, List<Object[]> rows) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("| group | figure | kworker | baseline | baseline value | kworker / baseline | kworker better by |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Object[] r : rows) {
      Cmp c = (Cmp) r[0];
      double k = (Double) r[1];
      double base = (Double) r[2];
      String unit = (String) r[3];
      b.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s | %s %s | %.2f× | %.2f× |%n", c.group(),
          c.label(), fmt(k), unit, c.baselineName(), fmt(base), unit, k / base, (Double) r[4]));
    }
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, b);
    System.out.print(b);
  }

  static String fmt(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static void draw(Path out, List<Object[]> rows) throws IOException {
    int rowH = 26;
    int top = 70;
    int labelW = 430;
    int plotW = 560;
    int right = 70;
    int groups = (int) rows.stream().map(r -> ((Cmp) r[0]).group()).distinct().count();
    int height = top + rows.size() * rowH + groups * 10 + 60;
    int width = labelW + plotW + right;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("kworker vs baseline in the same run (right of 1 = kworker better; log scale)", 12, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("throughput: kworker/baseline; times and bytes: baseline/kworker. Baseline is STPE unless "
        + "named.", 12, 44);
    double lo = Math.log10(0.01);
    double hi = Math.log10(10);
    int x0 = labelW;
    java.util.function.DoubleToIntFunction xOf = v -> x0
        + (int) Math.round((Math.log10(Math.max(0.01, Math.min(10, v))) - lo) / (hi - lo) * plotW);
    int plotTop = top - 8;
    int plotBottom = height - 50;
    // grid
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (double t : new double[] {0.01, 0.03, 0.1, 0.3, 0.5, 1, 2, 3, 10}) {
      int x = xOf.applyAsInt(t);
      g.setColor(t == 1 ? Color.BLACK : new Color(225, 225, 225));
      g.setStroke(new BasicStroke(t == 1 ? 2f : 1f));
      g.drawLine(x, plotTop, x, plotBottom);
      g.setColor(Color.DARK_GRAY);
      String s = (t < 1 ? String.valueOf(t) : String.valueOf((int) t == t ? (int) t : t)) + "×";
      g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, plotBottom + 16);
    }
    g.setStroke(new BasicStroke(1f));
    int y = top;
    String group = null;
    FontMetrics fm;
    for (Object[] r : rows) {
      Cmp c = (Cmp) r[0];
      if (!c.group().equals(group)) {
        if (group != null) {
          y += 10;
        }
        group = c.group();
      }
      double adv = (Double) r[4];
      int xv = xOf.applyAsInt(adv);
      int x1 = xOf.applyAsInt(1);
      g.setColor(adv >= 1 ? new Color(46, 139, 87) : new Color(205, 92, 92));
      g.fillRect(Math.min(x1, xv), y + 4, Math.max(2, Math.abs(xv - x1)), rowH - 8);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      fm = g.getFontMetrics();
      String label = c.group().substring(2) + ": " + c.label();
      g.drawString(label, labelW - 8 - fm.stringWidth(label), y + rowH / 2 + 4);
      String v = String.format(Locale.ROOT, "%.2f×", adv);
      int tx = adv >= 1 ? xv + 4 : xv - 4 - fm.stringWidth(v);
      if (tx < labelW + 2) { // no room left of the bar: write it inside, in white
        tx = xv + 4;
        g.setColor(Color.WHITE);
      }
      g.drawString(v, tx, y + rowH / 2 + 4);
      y += rowH;
    }
    g.setColor(Color.DARK_GRAY);
    g.drawString("machine: 2 vCPU, OpenJDK 17, Akka 2.6.21; see docs/performance.md for figures and commands",
        12, height - 12);
    g.dispose();
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    ImageIO.write(img, "png", out.toFile());
    System.out.println("wrote " + out);
  }

  /** A minimal JSON reader: objects become LinkedHashMaps, arrays Lists, numbers Doubles. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      ws();
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (s.charAt(i) == '}') {
            i++;
            return m;
          }
          for (;;) {
            ws();
            String k = string();
            ws();
            expect(':');
            m.put(k, value());
            ws();
            if (s.charAt(i) == ',') {
              i++;
              continue;
            }
            expect('}');
            return m;
          }
        }
        case '[': {
          i++;
          List<Object> l = new ArrayList<>();
          ws();
          if (s.charAt(i) == ']') {
            i++;
            return l;
          }
          for (;;) {
            l.add(value());
            ws();
            if (s.charAt(i) == ',') {
              i++;
              continue;
            }
            expect(']');
            return l;
          }
        }
        case '"':
          return string();
        default:
          if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
          }
          if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
          }
          if (s.startsWith("null", i)) {
            i += 4;
            return null;
          }
          int start = i;
          while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
          }
          return Double.parseDouble(s.substring(start, i));
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      for (;;) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private void expect(char c) {
      if (s.charAt(i) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + i);
      }
      i++;
    }
  }
}
