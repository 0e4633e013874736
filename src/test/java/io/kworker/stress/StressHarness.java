package io.kworker.stress;

import akka.actor.typed.ActorSystem;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.QuietExpected;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Many threads call every operation on the same few works of one worker and record a history (calls,
 * returns, run starts and ends, all stamped from one {@link AtomicLong}); the history is then checked.
 *
 * <p>Shared works: a plain one that sometimes parks briefly, one that often throws, one that requeues
 * itself from inside (a self-requeueing work, which waits for half of its requeues; the others count as
 * taking effect before its run returns, as the kernel's synchronous call does), a delayed one that
 * re-arms itself, a plain delayed one.
 * Private works: two per thread, queued and flushed only by their thread, to check FIFO and flushes
 * without ambiguity. {@code enableAndQueue} and {@code drain} are left out: the first answers whether the
 * disable count reached zero, not whether it queued, and the second drops expiries silently, so neither
 * leaves a count in the history. Each round ends quiescent: every shared work is disabled (which removes
 * what is pending and blocks requeueing), every private work flushed, and the checks run.
 */
final class StressHarness {
  enum Kind { QUEUE, QUEUE_DELAYED, MOD, CANCEL, CANCEL_SYNC, DISABLE, DISABLE_SYNC, ENABLE, FLUSH_WORK, FLUSH,
    FLUSH_DELAYED }

  /** One completed call. {@code result} is a Boolean, "Done", or the failure. */
  record Call(int thread, Kind kind, int work, long call, long ret, Object result) {
    boolean isTrue() {
      return Boolean.TRUE.equals(result);
    }

    boolean isFalse() {
      return Boolean.FALSE.equals(result);
    }

    /** Added a pending instance: queue true, queueDelayed true, modDelayed false. */
    boolean queuedOne() {
      return switch (kind) {
        case QUEUE, QUEUE_DELAYED -> isTrue();
        case MOD -> isFalse();
        default -> false;
      };
    }

    /** Took a pending instance away: any cancel or disable that answered true. */
    boolean removedOne() {
      return switch (kind) {
        case CANCEL, CANCEL_SYNC, DISABLE, DISABLE_SYNC -> isTrue();
        default -> false;
      };
    }
  }

  /** A call a run made and did not wait for; its answer completes {@code call}. */
  record LeftCall(Run run, CompletableFuture<Call> call) {}

  /** One run of a work's function. */
  static final class Run {
    final int work;
    final long start;
    volatile long end = Long.MAX_VALUE;

    Run(int work, long start) {
      this.work = work;
      this.start = start;
    }
  }

  static final int PLAIN = 0;
  static final int THROWER = 1;
  static final int PHOENIX = 2;
  static final int TICKER = 3;
  static final int DELAYED = 4;
  static final int SHARED = 5;
  /** Thread id of calls made by works from inside their runs, and of the harness's own calls. */
  static final int INSIDE = -1;
  static final int HARNESS = -2;

  final ActorSystem<?> system;
  final int threads;
  final long seed;
  final AtomicLong seq = new AtomicLong();
  final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
  final List<Call> insideCalls = Collections.synchronizedList(new ArrayList<>());
  /** Calls made from inside a run that the run does not wait for, each with that run. */
  final List<LeftCall> leftCalls = Collections.synchronizedList(new ArrayList<>());
  /** The run in progress (runs never overlap, and all run on the worker's thread). */
  volatile Run current;
  final List<List<Call>> calls = new ArrayList<>();
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  KWorker worker;
  Work[] works;
  long totalCalls;
  long totalRuns;

  StressHarness(ActorSystem<?> system, int threads, long seed) {
    this.system = system;
    this.threads = threads;
    this.seed = seed;
  }

  /**
   * Runs rounds until {@code seconds} have passed; returns a summary, throws on the first violation. With
   * {@code everyRound}, prints a line after each checked round, so that a long run shows it goes on.
   */
  String run(double seconds, double roundSeconds, String name, boolean everyRound) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int round = 0;
    do {
      long roundEnd = Math.min(end, System.nanoTime() + (long) (roundSeconds * 1e9));
      round(name + "-" + round, roundEnd, seed + 1000L * round);
      round++;
      if (everyRound) {
        System.out.printf("%s: round %d checked, %d calls and %d runs so far, %.0f s left%n", name, round,
            totalCalls, totalRuns, Math.max(0, end - System.nanoTime()) / 1e9);
      }
    } while (System.nanoTime() < end);
    return String.format("%d rounds, %d threads, %d calls, %d runs", round, threads, totalCalls, totalRuns);
  }

  private int workId(Work w) {
    for (int i = 0; i < works.length; i++) {
      if (works[i] == w) {
        return i;
      }
    }
    throw new AssertionError();
  }

  private void round(String name, long deadline, long roundSeed) throws InterruptedException {
    seq.set(0);
    runs.clear();
    insideCalls.clear();
    leftCalls.clear();
    calls.clear();
    worker = KWorker.create(system, name);
    works = new Work[SHARED + 2 * threads];
    works[PLAIN] = Work.of("plain", x -> body(PLAIN, () -> {
      if (ThreadLocalRandom.current().nextInt(4) == 0) {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000)); // a work that sleeps briefly
      }
    }));
    works[THROWER] = Work.of("thrower", x -> body(THROWER, () -> {
      if (ThreadLocalRandom.current().nextInt(3) == 0) {
        throw new IllegalStateException("thrower fails on purpose " + QuietExpected.MARK);
      }
    }));
    // The self-requeues go through the façade or the actor protocol, at random: a command created
    // inside a run is a call of that run, exactly as a façade call is. Half of them the run does not
    // wait for, as a kernel work that requeues itself and returns.
    works[PHOENIX] = Work.of("phoenix", self -> body(PHOENIX, () -> {
      if (ThreadLocalRandom.current().nextInt(10) < 8) {
        java.util.function.Supplier<CompletionStage<?>> requeue = ThreadLocalRandom.current().nextBoolean()
            ? () -> worker.queue(self)
            : () -> ask(r -> new KWorker.Queue(self, r));
        if (ThreadLocalRandom.current().nextBoolean()) {
          inside(Kind.QUEUE, PHOENIX, requeue);
        } else {
          left(Kind.QUEUE, PHOENIX, requeue);
        }
      }
    }));
    works[TICKER] = DelayedWork.of("ticker", self -> body(TICKER, () -> {
      if (ThreadLocalRandom.current().nextBoolean()) {
        Duration d = Duration.ofMillis(ThreadLocalRandom.current().nextInt(2));
        inside(Kind.MOD, TICKER, ThreadLocalRandom.current().nextBoolean()
            ? () -> worker.modDelayed(self, d)
            : () -> ask(r -> new KWorker.ModDelayed(self, d, r)));
      }
    }));
    works[DELAYED] = DelayedWork.of("delayed", x -> body(DELAYED, () -> { }));
    for (int i = SHARED; i < works.length; i++) {
      int id = i;
      works[i] = Work.of("private-" + (i - SHARED) / 2 + "-" + (i - SHARED) % 2, x -> body(id, () -> { }));
    }
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Call> mine = new ArrayList<>();
      calls.add(mine);
      int tid = t;
      Thread th = new Thread(() -> caller(tid, mine, new Random(roundSeed + tid), deadline), name + "-caller-" + t);
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS * 3 + 60));
      if (th.isAlive()) {
        failures.add("caller thread " + th.getName() + " did not finish");
      }
    }
    check(failures.isEmpty(), "failures during the round: " + failures);
    List<Call> harness = new ArrayList<>();
    calls.add(harness);
    // Quiesce: disabling removes what is pending and blocks every requeue, then everything is flushed.
    for (int w = 0; w < SHARED; w++) {
      Work work = works[w];
      timed(harness, HARNESS, Kind.DISABLE_SYNC, w, () -> worker.disableSync(work));
    }
    timed(harness, HARNESS, Kind.FLUSH, -1, () -> worker.flush());
    for (int w = 0; w < works.length; w++) {
      WorkState s = Await.result(worker.state(works[w]));
      check(s == WorkState.IDLE, "work " + works[w].name() + " is " + s + " after the round");
    }
    check(failures.isEmpty(), "failures while quiescing: " + failures);
    for (LeftCall l : List.copyOf(leftCalls)) {
      // Answered by now: disableSync waited for every run to be over, its calls served included. For the
      // checks a call counts as returned by its run's end, as the kernel's synchronous call does. A façade
      // call is: every call made after that end is linked behind it in the inbox. A protocol command can be
      // overtaken by later façade calls, but a cancelSync or disableSync of its work served meanwhile waits
      // for it, so none answers before it.
      Call c = Await.result(l.call());
      check(!(c.result() instanceof Throwable), c.kind() + " of work " + c.work() + " failed: " + c.result());
      insideCalls.add(new Call(c.thread(), c.kind(), c.work(), c.call(), Math.min(c.ret(), l.run().end),
          c.result()));
    }
    checkHistory();
    for (int w = 0; w < SHARED; w++) {
      int disabled = Await.result(worker.status(works[w])).disabled();
      for (int i = 0; i < disabled; i++) {
        Await.result(worker.enable(works[w]));
      }
    }
    Await.result(worker.destroy());
    for (List<Call> l : calls) {
      totalCalls += l.size();
    }
    totalCalls += insideCalls.size();
    totalRuns += runs.size();
  }

  private void body(int id, Runnable what) {
    Run r = new Run(id, seq.incrementAndGet());
    runs.add(r);
    current = r;
    try {
      what.run();
    } finally {
      r.end = seq.incrementAndGet();
    }
  }

  /** A call from inside a run, awaited there (it never waits for the lane). */
  private CompletionStage<?> ask(
      akka.japi.function.Function<akka.actor.typed.ActorRef<akka.pattern.StatusReply<Boolean>>, KWorker.Command> command) {
    return akka.actor.typed.javadsl.AskPattern.askWithStatus(worker.ref(), command,
        Duration.ofSeconds(Await.LONG_SECONDS), system.scheduler());
  }

  private void inside(Kind kind, int work, java.util.function.Supplier<CompletionStage<?>> call) {
    timed(insideCalls, INSIDE, kind, work, call);
  }

  /** A call from inside a run that the run does not wait for (recorded once answered). */
  private void left(Kind kind, int work, java.util.function.Supplier<CompletionStage<?>> call) {
    Run run = current;
    long c = seq.incrementAndGet();
    CompletableFuture<Call> answered = new CompletableFuture<>();
    leftCalls.add(new LeftCall(run, answered));
    try {
      call.get().whenComplete((v, e) -> answered.complete(new Call(INSIDE, kind, work, c,
          seq.incrementAndGet(), e != null ? e : v instanceof Boolean ? v : "Done")));
    } catch (RuntimeException e) {
      answered.complete(new Call(INSIDE, kind, work, c, seq.incrementAndGet(), e));
    }
  }

  private void timed(List<Call> into, int thread, Kind kind, int work,
      java.util.function.Supplier<CompletionStage<?>> call) {
    long c = seq.incrementAndGet();
    Object result;
    try {
      Object v = call.get().toCompletableFuture().get(Await.LONG_SECONDS, TimeUnit.SECONDS);
      result = v instanceof Boolean ? v : "Done";
    } catch (TimeoutException e) {
      result = e;
      failures.add("(5) " + kind + " of work " + work + " did not complete within " + Await.LONG_SECONDS + " s");
    } catch (ExecutionException e) {
      result = e.getCause();
      failures.add(kind + " of work " + work + " failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = e;
    } catch (RuntimeException e) {
      result = e;
      failures.add(kind + " of work " + work + " threw: " + e);
    }
    into.add(new Call(thread, kind, work, c, seq.incrementAndGet(), result));
  }

  private void caller(int t, List<Call> mine, Random rng, long deadline) {
    int[] myDisables = new int[SHARED];
    int fifoNext = 0;
    while (System.nanoTime() < deadline && failures.isEmpty()) {
      int p = rng.nextInt(100);
      int w = rng.nextInt(SHARED);
      int dw = rng.nextBoolean() ? TICKER : DELAYED;
      Duration d = Duration.ofMillis(rng.nextInt(3));
      if (p < 16) {
        timed(mine, t, Kind.QUEUE, w, () -> worker.queue(works[w]));
      } else if (p < 24) {
        timed(mine, t, Kind.QUEUE_DELAYED, dw, () -> worker.queueDelayed((DelayedWork) works[dw], d));
      } else if (p < 32) {
        timed(mine, t, Kind.MOD, dw, () -> worker.modDelayed((DelayedWork) works[dw], d));
      } else if (p < 37) {
        timed(mine, t, Kind.CANCEL, w, () -> worker.cancel(works[w]));
      } else if (p < 45) {
        timed(mine, t, Kind.CANCEL_SYNC, w, () -> worker.cancelSync(works[w]));
      } else if (p < 49) {
        timed(mine, t, Kind.FLUSH_WORK, w, () -> worker.flush(works[w]));
      } else if (p < 51) {
        timed(mine, t, Kind.FLUSH_DELAYED, dw, () -> worker.flushDelayed((DelayedWork) works[dw]));
      } else if (p < 54) {
        boolean sync = rng.nextBoolean();
        timed(mine, t, sync ? Kind.DISABLE_SYNC : Kind.DISABLE, w,
            () -> sync ? worker.disableSync(works[w]) : worker.disable(works[w]));
        myDisables[w]++;
      } else if (p < 58) {
        for (int i = 0; i < SHARED; i++) {
          if (myDisables[i] > 0) {
            int wi = i;
            timed(mine, t, Kind.ENABLE, wi, () -> worker.enable(works[wi]));
            myDisables[i]--;
            break;
          }
        }
      } else if (p < 88) {
        int f = SHARED + 2 * t + (fifoNext++ & 1);
        timed(mine, t, Kind.QUEUE, f, () -> worker.queue(works[f]));
      } else if (p < 96) {
        int f = SHARED + 2 * t + rng.nextInt(2);
        timed(mine, t, Kind.FLUSH_WORK, f, () -> worker.flush(works[f]));
      } else {
        timed(mine, t, Kind.FLUSH, -1, () -> worker.flush());
      }
    }
    for (int i = 0; i < SHARED; i++) {
      while (myDisables[i]-- > 0) {
        int wi = i;
        timed(mine, t, Kind.ENABLE, wi, () -> worker.enable(works[wi]));
      }
    }
  }

  // ---------------------------------------------------------------- checks

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  private void checkHistory() {
    List<Call> all = new ArrayList<>(insideCalls);
    for (List<Call> l : calls) {
      all.addAll(l);
    }
    List<Run> rs = new ArrayList<>(runs);
    rs.sort(Comparator.comparingLong(r -> r.start));
    Map<Integer, List<Run>> runsOf = new HashMap<>();
    for (Run r : rs) {
      check(r.end != Long.MAX_VALUE, "run of " + works[r.work].name() + " never ended");
      runsOf.computeIfAbsent(r.work, k -> new ArrayList<>()).add(r);
    }

    // (3) no two runs overlap on one worker
    for (int i = 1; i < rs.size(); i++) {
      check(rs.get(i - 1).end < rs.get(i).start, "(3) runs overlap: " + works[rs.get(i - 1).work].name() + " ["
          + rs.get(i - 1).start + ".." + rs.get(i - 1).end + "] and " + works[rs.get(i).work].name() + " ["
          + rs.get(i).start + ".." + rs.get(i).end + "]");
    }

    // (2) conservation on the shared works: queued - removed - started == pending at the end (zero)
    for (int w = 0; w < SHARED; w++) {
      long queued = 0;
      long removed = 0;
      for (Call c : all) {
        if (c.work() == w) {
          queued += c.queuedOne() ? 1 : 0;
          removed += c.removedOne() ? 1 : 0;
        }
      }
      long started = runsOf.getOrDefault(w, List.of()).size();
      check(queued - removed - started == 0, "(2) conservation broken for " + works[w].name() + ": queued "
          + queued + " - removed " + removed + " - runs " + started + " != 0 pending");
    }

    // (1) after cancelSync/disableSync completes: nothing of the work runs, and nothing starts until a
    // queueing call that returned true (after the cancel was called) was made before that start
    for (int w = 0; w < SHARED; w++) {
      List<Run> wr = runsOf.getOrDefault(w, List.of());
      long[] starts = wr.stream().mapToLong(r -> r.start).toArray();
      List<Call> queuers = new ArrayList<>();
      for (Call c : all) {
        if (c.work() == w && c.queuedOne()) {
          queuers.add(c);
        }
      }
      queuers.sort(Comparator.comparingLong(Call::ret));
      long[] rets = queuers.stream().mapToLong(Call::ret).toArray();
      long[] suffixMinCall = new long[rets.length + 1];
      suffixMinCall[rets.length] = Long.MAX_VALUE;
      for (int i = rets.length - 1; i >= 0; i--) {
        suffixMinCall[i] = Math.min(suffixMinCall[i + 1], queuers.get(i).call());
      }
      for (Call c : all) {
        if (c.work() != w || (c.kind() != Kind.CANCEL_SYNC && c.kind() != Kind.DISABLE_SYNC)
            || !(c.result() instanceof Boolean)) {
          continue;
        }
        // The answer was given at some instant t in (call, ret): ret is stamped when the caller wakes
        // up, possibly after other runs began. So look for a gap between runs, inside (call, ret), that
        // can hold t: no run of the work in progress at t, and the first run after t preceded by a call
        // that queued the work, was made before that run and returned after t.
        boolean ok = false;
        int n = wr.size();
        for (int k = upperBound(starts, c.call()); ; k++) {
          long gapFrom = Math.max(k > 0 ? wr.get(k - 1).end : Long.MIN_VALUE, c.call());
          long gapTo = k < n ? Math.min(wr.get(k).start, c.ret()) : c.ret();
          if (gapFrom >= c.ret()) {
            break;
          }
          if (gapFrom < gapTo && (k == n || suffixMinCall[upperBound(rets, gapFrom)] < wr.get(k).start)) {
            ok = true;
            break;
          }
          if (k >= n) {
            break;
          }
        }
        if (!ok) {
          long from = c.call() - 60;
          check(false, "(1) " + c + " of " + works[w].name() + ": no instant in (" + c.call() + ", " + c.ret()
              + ") at which it could have answered with no run in progress and no later run left unexplained;"
              + " around it:\n" + around(all, rs, w, from, c.ret() + 30));
        }
      }
    }

    // (3) FIFO among the works one thread queues, and (4) flush(work) / flush() on those works
    for (int t = 0; t < threads; t++) {
      int[] nth = new int[2];
      Run prev = null;
      for (Call c : calls.get(t)) {
        if (c.kind() == Kind.QUEUE && c.work() >= SHARED && c.isTrue()) {
          int f = c.work();
          Run r = runsOf.get(f).get(nth[f - SHARED - 2 * t]++);
          check(r.start > c.call(), "(3) private run started before it was queued");
          if (prev != null) {
            check(prev.start < r.start, "(3) FIFO broken: thread " + t + " queued " + works[prev.work].name()
                + " before " + works[f].name() + " but the runs started at " + prev.start + " and " + r.start);
          }
          prev = r;
        } else if (c.kind() == Kind.FLUSH_WORK && c.work() >= SHARED) {
          int k = nth[c.work() - SHARED - 2 * t];
          if (k > 0) {
            Run target = runsOf.get(c.work()).get(k - 1);
            check(target.end < c.ret(), "(4) flush(" + works[c.work()].name() + ") returned at " + c.ret()
                + " before its instance ended at " + target.end);
          }
        }
      }
      for (int j = 0; j < 2; j++) {
        int f = SHARED + 2 * t + j;
        check(nth[j] == runsOf.getOrDefault(f, List.of()).size(), "(2) " + works[f].name() + " queued "
            + nth[j] + " times but ran " + runsOf.getOrDefault(f, List.of()).size() + " times");
      }
    }
    // flush(): every private instance whose queue returned before the call has ended before the return
    long[][] queuedRets = new long[threads][];
    int[][][] counts = new int[threads][2][];
    for (int t = 0; t < threads; t++) {
      List<Call> qs = new ArrayList<>();
      for (Call q : calls.get(t)) {
        if (q.kind() == Kind.QUEUE && q.work() >= SHARED && q.isTrue()) {
          qs.add(q); // in call order, hence in return order
        }
      }
      queuedRets[t] = qs.stream().mapToLong(Call::ret).toArray();
      for (int j = 0; j < 2; j++) {
        counts[t][j] = new int[qs.size() + 1];
        for (int i = 0; i < qs.size(); i++) {
          counts[t][j][i + 1] = counts[t][j][i] + (qs.get(i).work() == SHARED + 2 * t + j ? 1 : 0);
        }
      }
    }
    for (List<Call> l : calls) {
      for (Call c : l) {
        if (c.kind() != Kind.FLUSH) {
          continue;
        }
        for (int t = 0; t < threads; t++) {
          int n = lowerBound(queuedRets[t], c.call()); // queues that returned before the flush was called
          for (int j = 0; j < 2; j++) {
            int k = counts[t][j][n];
            if (k > 0) {
              Run target = runsOf.get(SHARED + 2 * t + j).get(k - 1);
              check(target.end < c.ret(), "(4) flush() returned at " + c.ret() + " before "
                  + works[SHARED + 2 * t + j].name() + " queued before it ended at " + target.end);
            }
          }
        }
      }
    }
  }

  /** The calls on, and runs of, work {@code w} between two stamps, for failure messages. */
  private String around(List<Call> all, List<Run> rs, int w, long from, long to) {
    List<String> lines = new ArrayList<>();
    for (Call c : all) {
      if (c.work() == w && c.ret() >= from && c.call() <= to) {
        lines.add(String.format("%6d..%6d thread %2d %s -> %s", c.call(), c.ret(), c.thread(), c.kind(), c.result()));
      }
    }
    for (Run r : rs) {
      if (r.work == w && r.end >= from && r.start <= to) {
        lines.add(String.format("%6d..%6d run", r.start, r.end));
      }
    }
    lines.sort(null);
    return String.join("\n", lines);
  }

  /** First index whose value is >= key. */
  private static int lowerBound(long[] a, long key) {
    int i = Arrays.binarySearch(a, key);
    return i >= 0 ? i : -i - 1;
  }

  /** First index whose value is > key. */
  private static int upperBound(long[] a, long key) {
    int i = Arrays.binarySearch(a, key);
    return i >= 0 ? i + 1 : -i - 1;
  }
}
