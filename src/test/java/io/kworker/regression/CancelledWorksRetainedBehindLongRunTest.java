package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 23abb20 (the heap growth already in 6e218a9): behind one long run, works that were queued and
 * then cancelled stayed reachable until the long run returned: the lane kept every revoked instance in its
 * queue, and each instance kept its work and whatever the work captured (48 bytes per queue+cancel cycle,
 * plus the work); even once revoked instances left the queue, the last one still held its work as the
 * queue's tail. Guards that a successful cancel lets the work and what it captured be collected, as
 * {@code ScheduledThreadPoolExecutor} with {@code removeOnCancel} does, and that the lane's queue does not
 * grow with cancelled instances.
 *
 * <p>No timing: the long run is held by a {@link Gate} for the whole check (and checked to be still
 * running); collection is observed with {@link WeakReference}s after {@code System.gc()}, retried a bounded
 * number of times.
 */
class CancelledWorksRetainedBehindLongRunTest {
  static final WorkerTestKit kit = WorkerTestKit.create();
  private static final int GC_TRIES = 10;

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** One work with a 16 MB captured payload, queued and cancelled 1,000 times behind a long run. */
  @Test
  void aCancelledWorkAndItsPayloadAreCollectableBehindALongRun() {
    KWorker worker = kit.newWorker("retain-one");
    Gate gate = new Gate();
    try {
      result(worker.queue(Work.of("long-run", w -> gate.pass())));
      gate.awaitEntered();
      List<WeakReference<Object>> refs = queueAndCancelOneWork(worker, 1_000);
      moveOn(worker);
      int left = uncollected(refs);
      assertFalse(gate.anyRunLeft(), "the long run returned before the check: the test proves nothing");
      assertEquals(0, left, "the work cancelled 1,000 times (and its 16 MB payload) is still reachable while "
          + "the long run goes on: " + left + " of " + refs.size() + " weak references not cleared");
    } finally {
      gate.open();
    }
    result(worker.flush());
  }

  /** 10,000 distinct works, each capturing a 64-byte array, queued and cancelled behind a long run. */
  @Test
  void tenThousandCancelledWorksAreCollectableBehindALongRun() {
    KWorker worker = kit.newWorker("retain-many");
    Gate gate = new Gate();
    try {
      result(worker.queue(Work.of("long-run", w -> gate.pass())));
      gate.awaitEntered();
      List<WeakReference<Object>> refs = queueAndCancelManyWorks(worker, 10_000);
      moveOn(worker);
      int left = uncollected(refs);
      assertFalse(gate.anyRunLeft(), "the long run returned before the check: the test proves nothing");
      assertEquals(0, left, left + " of 10,000 cancelled works (or their 64-byte payloads) are still "
          + "reachable while the long run goes on");
    } finally {
      gate.open();
    }
    result(worker.flush());
  }

  /**
   * The lane's queue does not grow with cancelled instances: 500,000 queue+cancel cycles of one work behind
   * a long run leave the heap (after a full GC) within 8 MB of where it started; a revoked instance that
   * stays queued costs about 48 bytes, so 24 MB in all.
   */
  @Test
  void queueCancelCyclesBehindALongRunDoNotGrowTheHeap() {
    KWorker worker = kit.newWorker("retain-heap");
    Gate gate = new Gate();
    try {
      result(worker.queue(Work.of("long-run", w -> gate.pass())));
      gate.awaitEntered();
      Work work = Work.of("cycled", w -> { });
      cycle(worker, work, 20_000); // warm up: the first cycles load and compile what the rest use
      long before = usedAfterGc();
      cycle(worker, work, 500_000);
      long after = usedAfterGc();
      long grown = after - before;
      assertFalse(gate.anyRunLeft(), "the long run returned before the check: the test proves nothing");
      assertTrue(grown < 8L << 20, "500,000 queue+cancel cycles behind a long run grew the heap by "
          + (grown >> 10) + " KB (" + (grown / 500_000.0) + " bytes per cycle)");
    } finally {
      gate.open();
    }
    result(worker.flush());
  }

  // ---------------------------------------------------------------- helpers

  /** In its own frame, so that no local of the test keeps the work or its payload reachable. */
  private static List<WeakReference<Object>> queueAndCancelOneWork(KWorker worker, int cycles) {
    byte[] payload = new byte[16 << 20];
    Work work = Work.of("big", w -> touch(payload));
    cycle(worker, work, cycles);
    return List.of(new WeakReference<>(work), new WeakReference<>(payload));
  }

  private static List<WeakReference<Object>> queueAndCancelManyWorks(KWorker worker, int count) {
    List<WeakReference<Object>> refs = new ArrayList<>(count * 2);
    CompletionStage<Boolean> last = null;
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[64];
      Work work = Work.of("w-" + i, w -> touch(payload));
      refs.add(new WeakReference<>(work));
      refs.add(new WeakReference<>(payload));
      worker.queue(work);
      last = worker.cancel(work);
    }
    assertTrue(result(last), "the last cancel removed its queued instance");
    return refs;
  }

  /** queue+cancel, {@code cycles} times, from one thread (served in order); every cancel must remove. */
  private static void cycle(KWorker worker, Work work, int cycles) {
    CompletionStage<Boolean> queued = null;
    CompletionStage<Boolean> cancelled = null;
    for (int i = 0; i < cycles; i++) {
      queued = worker.queue(work);
      cancelled = worker.cancel(work);
      if (i % 10_000 == 9_999) {
        result(cancelled); // keep the number of calls in flight bounded
      }
    }
    assertTrue(result(queued), "queue behind the long run");
    assertTrue(result(cancelled), "cancel removed the queued instance");
  }

  /** A few unrelated calls, so that nothing the worker served last still points at the cancelled works. */
  private static void moveOn(KWorker worker) {
    Work other = Work.of("other", w -> { });
    for (int i = 0; i < 3; i++) {
      result(worker.status(other));
    }
  }

  private static int uncollected(List<WeakReference<Object>> refs) {
    IntSupplier left = () -> (int) refs.stream().filter(r -> r.get() != null).count();
    for (int i = 0; i < GC_TRIES && left.getAsInt() > 0; i++) {
      System.gc();
    }
    return left.getAsInt();
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  private static volatile int sink;

  private static void touch(byte[] payload) {
    sink = payload.length;
  }
}
