package io.kworker.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.KWorker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * docs/performance.md, results group "5 footprint": the footprint of idle workers. Creates {@code shared} (default 100,000) workers
 * whose works run on Akka's default dispatcher and {@code dedicated} (default 1,000) workers with a
 * thread each, and reports per worker: heap (used heap after {@code System.gc()}, before and after), new
 * live threads, the time to create them (until each has answered a flush, so its actor has started) and
 * the time to destroy them all. Baselines in the same JVM: as many idle typed actors
 * ({@code Behaviors.receiveMessage}) for the shared case, and as many single-thread executors (each
 * with its thread started) for the dedicated case. Rounds alternate which goes first. On Java 21 or
 * later, also {@code shared} workers with {@code execution = "virtual"}, beside the same baselines.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.Footprint -Dbench.args='5 100000 1000 docs/results/footprint.json'}
 * (the virtual rows: the same with a JDK 21+ first on the PATH, see docs/performance.md)
 */
public final class Footprint {
  record Figures(double bytes, double threads, double createUs, double destroyUs) {}

  /** An idle actor that answers a ping (a future it completes), so its start can be waited for. */
  static Behavior<CompletableFuture<Void>> idleActor() {
    return Behaviors.receiveMessage(f -> {
      f.complete(null);
      return Behaviors.same();
    });
  }

  static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  static Figures workers(ActorSystem<Void> system, int n, String execution, String prefix) {
    long heap0 = ArmedDelayed.usedAfterGc();
    int th0 = threads();
    long t0 = System.nanoTime();
    KWorker[] ws = new KWorker[n];
    List<CompletionStage<?>> ready = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ws[i] = KWorker.create(system, prefix + i, execution);
      ready.add(ws[i].flush());
    }
    for (CompletionStage<?> s : ready) {
      Bench.join(s);
    }
    long t1 = System.nanoTime();
    ready.clear();
    long heap1 = ArmedDelayed.usedAfterGc();
    int th1 = threads();
    long t2 = System.nanoTime();
    List<CompletionStage<?>> gone = new ArrayList<>(n);
    for (KWorker w : ws) {
      gone.add(w.destroy());
    }
    for (CompletionStage<?> s : gone) {
      Bench.join(s);
    }
    long t3 = System.nanoTime();
    ArmedDelayed.usedAfterGc();
    System.out.printf("  %s: %d threads before create, %d created, %d after destroy%n", prefix, th0, th1,
        threads());
    return new Figures((heap1 - heap0) / (double) n, (th1 - th0) / (double) n, (t1 - t0) / 1e3 / n,
        (t3 - t2) / 1e3 / n);
  }

  static Figures actors(ActorSystem<Void> system, int n, String prefix) {
    long heap0 = ArmedDelayed.usedAfterGc();
    int th0 = threads();
    long t0 = System.nanoTime();
    @SuppressWarnings("unchecked")
    ActorRef<CompletableFuture<Void>>[] refs = new ActorRef[n];
    List<CompletableFuture<Void>> ready = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      refs[i] = system.systemActorOf(idleActor(), prefix + i, Props.empty());
      CompletableFuture<Void> f = new CompletableFuture<>();
      refs[i].tell(f);
      ready.add(f);
    }
    for (CompletableFuture<Void> f : ready) {
      Bench.join(f);
    }
    long t1 = System.nanoTime();
    ready.clear();
    long heap1 = ArmedDelayed.usedAfterGc();
    int th1 = threads();
    long t2 = System.nanoTime();
    for (ActorRef<CompletableFuture<Void>> r : refs) {
      ((akka.actor.ActorRef) akka.actor.typed.javadsl.Adapter.toClassic(r)).tell(akka.actor.PoisonPill.getInstance(),
          akka.actor.ActorRef.noSender());
    }
    CompletableFuture<Void> dead = new CompletableFuture<>();
    awaitDead(system, refs, dead);
    Bench.join(dead);
    long t3 = System.nanoTime();
    return new Figures((heap1 - heap0) / (double) n, (th1 - th0) / (double) n, (t1 - t0) / 1e3 / n,
        (t3 - t2) / 1e3 / n);
  }

  /** Completes {@code dead} when every ref has terminated (a watcher actor counts them down). */
  static void awaitDead(ActorSystem<Void> system, ActorRef<?>[] refs, CompletableFuture<Void> dead) {
    system.systemActorOf(Behaviors.<Object>setup(ctx -> {
      for (ActorRef<?> r : refs) {
        ctx.watch(r);
      }
      int[] left = {refs.length};
      return Behaviors.receive(Object.class)
          .onSignal(akka.actor.typed.Terminated.class, t -> {
            if (--left[0] == 0) {
              dead.complete(null);
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .build();
    }), "watcher-" + System.nanoTime(), Props.empty());
  }

  static Figures executors(int n) {
    long heap0 = ArmedDelayed.usedAfterGc();
    int th0 = threads();
    long t0 = System.nanoTime();
    ExecutorService[] es = new ExecutorService[n];
    List<java.util.concurrent.Future<?>> ready = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      es[i] = Executors.newSingleThreadExecutor();
      ready.add(es[i].submit(QueueThroughput.NOOP));
    }
    for (java.util.concurrent.Future<?> f : ready) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    long t1 = System.nanoTime();
    ready.clear();
    long heap1 = ArmedDelayed.usedAfterGc();
    int th1 = threads();
    long t2 = System.nanoTime();
    for (ExecutorService e : es) {
      e.shutdown();
    }
    for (ExecutorService e : es) {
      try {
        e.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        throw new IllegalStateException(ie);
      }
    }
    long t3 = System.nanoTime();
    return new Figures((heap1 - heap0) / (double) n, (th1 - th0) / (double) n, (t1 - t0) / 1e3 / n,
        (t3 - t2) / 1e3 / n);
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int shared = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int dedicated = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    Path out = Path.of(args.length > 3 ? args[3] : "target/footprint.json");
    ActorSystem<Void> system = Bench.system("footprint", "");
    String dispatcher = "akka.actor.default-dispatcher";
    // warm-up, not recorded
    workers(system, shared / 10, dispatcher, "warm-s");
    actors(system, shared / 10, "warm-a");
    workers(system, dedicated / 10, "dedicated", "warm-d");
    executors(dedicated / 10);
    boolean virtual = Runtime.version().feature() >= 21;
    if (virtual) {
      workers(system, shared / 10, "virtual", "warm-v");
    }
    Map<String, Figures[]> all = new LinkedHashMap<>();
    for (String k : new String[] {"kworker_shared", "actor_idle", "kworker_dedicated", "executor_single",
        "kworker_virtual"}) {
      if (virtual || !k.equals("kworker_virtual")) {
        all.put(k, new Figures[rounds]);
      }
    }
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        all.get("kworker_shared")[r] = workers(system, shared, dispatcher, "s" + r + "-");
        all.get("actor_idle")[r] = actors(system, shared, "a" + r + "-");
        all.get("kworker_dedicated")[r] = workers(system, dedicated, "dedicated", "d" + r + "-");
        all.get("executor_single")[r] = executors(dedicated);
        if (virtual) {
          all.get("kworker_virtual")[r] = workers(system, shared, "virtual", "v" + r + "-");
        }
      } else {
        if (virtual) {
          all.get("kworker_virtual")[r] = workers(system, shared, "virtual", "v" + r + "-");
        }
        all.get("actor_idle")[r] = actors(system, shared, "a" + r + "-");
        all.get("kworker_shared")[r] = workers(system, shared, dispatcher, "s" + r + "-");
        all.get("executor_single")[r] = executors(dedicated);
        all.get("kworker_dedicated")[r] = workers(system, dedicated, "dedicated", "d" + r + "-");
      }
      final int round = r;
      System.out.printf("round %d: %s%n", r, all.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()[round]).toList());
    }
    Results results = new Results();
    for (Map.Entry<String, Figures[]> e : all.entrySet()) {
      String n = e.getKey().endsWith("shared") || e.getKey().endsWith("virtual") || e.getKey().startsWith("actor")
          ? Integer.toString(shared) : Integer.toString(dedicated);
      Figures[] f = e.getValue();
      String b = "io.kworker.bench.Footprint." + e.getKey();
      results.add(b + "_heapBytes", "B/worker", pick(f, 0), Map.of(), Map.of("n", n));
      results.add(b + "_threads", "threads/worker", pick(f, 1), Map.of(), Map.of("n", n));
      results.add(b + "_create", "us/worker", pick(f, 2), Map.of(), Map.of("n", n));
      results.add(b + "_destroy", "us/worker", pick(f, 3), Map.of(), Map.of("n", n));
    }
    results.write(out);
    Bench.terminate(system);
  }

  static double[] pick(Figures[] f, int field) {
    double[] v = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = switch (field) {
        case 0 -> f[i].bytes();
        case 1 -> f[i].threads();
        case 2 -> f[i].createUs();
        default -> f[i].destroyUs();
      };
    }
    return v;
  }
}
