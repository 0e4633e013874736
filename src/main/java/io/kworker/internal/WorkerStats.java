package io.kworker.internal;

import io.kworker.KWorkerStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's counters and timings. INTERNAL API.
 *
 * <p>Built for the hot path: every field has exactly one writer, so an increment is a plain read of the
 * writer's own field and an opaque store (a plain store on x86 and ARM: no fence, no CAS, no contended
 * cache line shared with other writers than the lane and the actor). Readers ({@link #snapshot}, JMX)
 * use opaque loads: each value is exact and never torn, but a snapshot of several is not atomic.
 *
 * <ul>
 *   <li>written by the worker actor: {@link #queued}, {@link #cancelled}, {@link #refused};
 *   <li>written by the lane (one drain at a time, each drain ordered after the previous one by the lane's
 *       hand-off, even on a shared dispatcher): {@link #run}, {@link #failed} and the timings.
 * </ul>
 *
 * Timings cost three {@code System.nanoTime()} calls per work, so they are kept only when
 * {@link #timings} is on ({@code kworker.stats.timings}).
 */
final class WorkerStats {
  private static final VarHandle QUEUED;
  private static final VarHandle CANCELLED;
  private static final VarHandle REFUSED;
  private static final VarHandle RUN;
  private static final VarHandle FAILED;
  private static final VarHandle LAT_TOTAL;
  private static final VarHandle LAT_MAX;
  private static final VarHandle RUN_TOTAL;
  private static final VarHandle RUN_MAX;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      QUEUED = l.findVarHandle(WorkerStats.class, "queued", long.class);
      CANCELLED = l.findVarHandle(WorkerStats.class, "cancelled", long.class);
      REFUSED = l.findVarHandle(WorkerStats.class, "refused", long.class);
      RUN = l.findVarHandle(WorkerStats.class, "run", long.class);
      FAILED = l.findVarHandle(WorkerStats.class, "failed", long.class);
      LAT_TOTAL = l.findVarHandle(WorkerStats.class, "latTotal", long.class);
      LAT_MAX = l.findVarHandle(WorkerStats.class, "latMax", long.class);
      RUN_TOTAL = l.findVarHandle(WorkerStats.class, "runTotal", long.class);
      RUN_MAX = l.findVarHandle(WorkerStats.class, "runMax", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final boolean timings;

  // actor-written
  private long queued;
  private long cancelled;
  private long refused;
  // lane-written
  private long run;
  private long failed;
  private long latTotal;
  private long latMax;
  private long runTotal;
  private long runMax;

  WorkerStats(boolean timings) {
    this.timings = timings;
  }

  // ---- actor side

  void queued() {
    QUEUED.setOpaque(this, queued + 1);
  }

  void cancelled() {
    CANCELLED.setOpaque(this, cancelled + 1);
  }

  void refusedWhileCanceling() {
    REFUSED.setOpaque(this, refused + 1);
  }

  // ---- lane side

  void failed() {
    FAILED.setOpaque(this, failed + 1);
  }

  void ran() {
    RUN.setOpaque(this, run + 1);
  }

  /** A run that started {@code latency} ns after it was queued and took {@code runTime} ns. */
  void ran(long latency, long runTime) {
    latency = Math.max(0, latency);
    runTime = Math.max(0, runTime);
    LAT_TOTAL.setOpaque(this, latTotal + latency);
    if (latency > latMax) {
      LAT_MAX.setOpaque(this, latency);
    }
    RUN_TOTAL.setOpaque(this, runTotal + runTime);
    if (runTime > runMax) {
      RUN_MAX.setOpaque(this, runTime);
    }
    RUN.setOpaque(this, run + 1);
  }

  // ---- readers, any thread

  KWorkerStats snapshot(String worker) {
    long runs = (long) RUN.getOpaque(this);
    KWorkerStats.Timing latency = KWorkerStats.Timing.NONE;
    KWorkerStats.Timing runTime = KWorkerStats.Timing.NONE;
    if (timings) {
      latency = new KWorkerStats.Timing(runs, (long) LAT_TOTAL.getOpaque(this), (long) LAT_MAX.getOpaque(this));
      runTime = new KWorkerStats.Timing(runs, (long) RUN_TOTAL.getOpaque(this), (long) RUN_MAX.getOpaque(this));
    }
    return new KWorkerStats(worker, (long) QUEUED.getOpaque(this), runs, (long) FAILED.getOpaque(this),
        (long) CANCELLED.getOpaque(this), (long) REFUSED.getOpaque(this), timings, latency, runTime);
  }
}
