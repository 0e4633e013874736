package io.kworker.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several threads submit one-shot, delayed and periodic tasks to one executor and cancel them every way
 * (cancel with and without interrupt, cancelSync with and without a grace) while its tasks run, then
 * one of them shuts it down (or down now) while the others go on submitting. Checked after each round:
 * no future hangs, no one-shot task runs twice, a future that completed normally ran once, no task
 * starts after its cancelSync completed, an interrupt reaches no task but the one cancelled, and the
 * tasks shutdownNow returned never ran and are not done. Bounded in time; prints its seed
 * ({@code -Dkworker.seed=} replays each caller's choices, not the interleaving).
 */
class ExecutorStressTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.DEADLINE_MISSED, ExpectedLogs.REFUSED);
  static final WorkerTestKit kit = WorkerTestKit.create("executorstress");

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** One submission and what happened to it. */
  static final class Task implements Runnable {
    final AtomicInteger runs = new AtomicInteger();
    final boolean periodic;
    volatile boolean syncCancelled;
    volatile KWorkerFuture<?> future;
    final Round round;

    Task(boolean periodic, Round round) {
      this.periodic = periodic;
      this.round = round;
    }

    @Override
    public void run() {
      KWorkerFuture<?> f = future;
      ConcurrentLinkedQueue<String> violations = round.violations;
      if (Thread.interrupted() && f != null && !f.isCancelled() && !round.stoppedNow) {
        violations.add("a task started interrupted, not cancelled: " + f);
      }
      if (syncCancelled) {
        violations.add("a task started after its cancelSync completed: " + f);
      }
      runs.incrementAndGet();
      if (!periodic && runs.get() > 1) {
        violations.add("a one-shot task ran twice: " + f);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void everyFutureCompletesAndEveryRunIsAccountedFor() throws Exception {
    double seconds = Double.parseDouble(System.getProperty("kworker.stress.short.seconds", "3"));
    int threads = Integer.getInteger("kworker.stress.threads", 4);
    long seed = Long.getLong("kworker.seed", System.nanoTime());
    System.out.println("executor-stress: seed=" + seed + " threads=" + threads + " seconds=" + seconds);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int rounds = 0;
    long tasks = 0;
    do {
      tasks += round(new Random(seed + rounds), threads, seed + "/" + rounds);
      rounds++;
    } while (System.nanoTime() < end);
    System.out.println("executor-stress: " + rounds + " rounds, " + tasks + " tasks, no violation");
  }

  /** What the callers of one round share. */
  static final class Round {
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    /** Set just before shutdownNow, which interrupts the task running then. */
    volatile boolean stoppedNow;
  }

  private long round(Random seeds, int threads, String name) throws Exception {
    KWorkerExecutor executor = kit.newExecutor("stress");
    Round shared = new Round();
    List<Task> all = Collections.synchronizedList(new ArrayList<>());
    List<List<Runnable>> handedBack = Collections.synchronizedList(new ArrayList<>());
    long roundEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    int stopper = seeds.nextInt(threads);
    boolean now = seeds.nextBoolean();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Random rnd = new Random(seeds.nextLong());
      boolean stops = t == stopper;
      Thread th = new Thread(() -> {
        List<Task> mine = new ArrayList<>();
        try {
          // the stopper shuts down at the end of the round; the others go on until it has
          while (stops ? System.nanoTime() < roundEnd : !executor.isShutdown()) {
            try {
              step(executor, rnd, mine, all, shared);
            } catch (RejectedExecutionException shutDown) {
              // the stopper shut it down
            }
          }
        } catch (Throwable e) {
          shared.violations.add(Thread.currentThread().getName() + " failed: " + e);
        } finally {
          if (stops && now) {
            shared.stoppedNow = true;
            handedBack.add(executor.shutdownNow());
          } else if (stops) {
            executor.shutdown();
          }
        }
      }, name + "-caller-" + t);
      callers.add(th);
      th.start();
    }
    for (Thread th : callers) {
      th.join();
    }
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS), name + ": not terminated");
    Set<Runnable> returned = Collections.newSetFromMap(new IdentityHashMap<>());
    handedBack.forEach(returned::addAll);
    synchronized (all) {
      for (Task task : all) {
        KWorkerFuture<?> f = task.future;
        if (returned.contains(f)) { // the others may still cancel it, as on STPE
          assertTrue(!f.isDone() || f.isCancelled(), name + ": handed back by shutdownNow, yet done: " + f);
          assertTrue(task.periodic || task.runs.get() == 0, name + ": handed back by shutdownNow, yet ran: " + f);
          continue;
        }
        assertTrue(f.isDone(), name + ": a future hangs: " + f);
        if (!f.isCancelled()) {
          assertFalse(task.periodic, name + ": a periodic task that cannot throw completed: " + f);
          f.get(); // a task that cannot throw completed normally
          assertEquals(1, task.runs.get(), name + ": completed normally, runs: " + f);
        }
      }
    }
    assertEquals(List.of(), new ArrayList<>(shared.violations), name);
    return all.size();
  }

  private static void step(KWorkerExecutor executor, Random rnd, List<Task> mine, List<Task> all,
      Round shared) {
    int op = rnd.nextInt(10);
    if (op < 5 || mine.isEmpty()) {
      boolean periodic = op == 4;
      Task task = new Task(periodic, shared);
      KWorkerFuture<?> f = switch (rnd.nextInt(periodic ? 2 : 3)) {
        case 0 -> periodic ? executor.scheduleAtFixedRate(task, rnd.nextInt(2), 1, TimeUnit.MILLISECONDS)
            : executor.submit(task);
        case 1 -> periodic ? executor.scheduleWithFixedDelay(task, 0, rnd.nextInt(1, 3), TimeUnit.MILLISECONDS)
            : executor.schedule(task, rnd.nextInt(3), TimeUnit.MILLISECONDS);
        default -> executor.submit(task, "result");
      };
      task.future = f;
      mine.add(task);
      all.add(task);
      return;
    }
    Task task = mine.remove(rnd.nextInt(mine.size()));
    KWorkerFuture<?> f = task.future;
    switch (op) {
      case 5 -> f.cancel(false);
      case 6 -> f.cancel(true);
      case 7, 8 -> {
        var sync = op == 7 ? f.cancelSync() : f.cancelSync(Duration.ZERO);
        sync.toCompletableFuture().handle((v, e) -> e).thenAccept(e -> {
          if (e == null) {
            task.syncCancelled = true;
          }
        });
        Await.result(sync.toCompletableFuture().handle((v, e) -> null));
      }
      default -> mine.add(task); // keep it for later
    }
  }
}
