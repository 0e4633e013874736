package io.kworker;

import java.time.Duration;

/**
 * A worker's counters and timings since it started, as returned by {@link KWorker#stats()} and shown by
 * its JMX MBean ({@link KWorkerMXBean}).
 *
 * <p>The values are read without stopping the worker, one by one, so a snapshot taken while works run is
 * not atomic: {@code run} may already count a work whose timing is not in {@code runTime} yet, and so
 * on. Each value on its own is exact and never goes down.
 *
 * @param worker the worker's name
 * @param queued instances handed to the execution thread: by {@code queue}, by a delayed work's timer
 *     expiring, by {@code modDelayed} with no delay, {@code flushDelayed} and {@code enableAndQueue}
 * @param run runs that returned, normally or by throwing ({@code failed} is part of it)
 * @param failed runs that threw
 * @param cancelled pending instances (queued or armed) taken out before they ran by {@code cancel},
 *     {@code cancelSync}, {@code disable} or {@code disableSync}, plus armed timers dropped by
 *     {@code destroy} (or by the worker stopping), queued works discarded at a destroy deadline
 *     and queued works dropped because the worker stopped without destroy;
 *     {@code modDelayed} moving a pending instance does not count
 * @param refusedWhileCanceling queueing calls that gave false, and timer expiries that were dropped,
 *     because a {@code cancelSync} of the work was in progress (the kernel's {@code work->canceling})
 * @param timingsEnabled whether the two timings below are kept ({@code kworker.stats.timings})
 * @param queueLatency from the moment an instance is handed to the execution thread to the moment it
 *     starts running
 * @param runTime how long each run took
 */
public record KWorkerStats(String worker, long queued, long run, long failed, long cancelled,
    long refusedWhileCanceling, boolean timingsEnabled, Timing queueLatency, Timing runTime) {

  /**
   * A sum of durations: how many, their total and the longest.
   *
   * @param count how many durations were added
   * @param totalNanos their sum, in nanoseconds
   * @param maxNanos the longest, in nanoseconds
   */
  public record Timing(long count, long totalNanos, long maxNanos) {
    /** No samples, as when timings are off. */
    public static final Timing NONE = new Timing(0, 0, 0);

    /** {@return the mean duration, or zero without samples} */
    public Duration mean() {
      return count == 0 ? Duration.ZERO : Duration.ofNanos(totalNanos / count);
    }

    /** {@return the longest duration} */
    public Duration max() {
      return Duration.ofNanos(maxNanos);
    }
  }
}
