package io.kworker;

import java.util.List;

/**
 * How a bounded {@link KWorker#destroy(java.time.Duration)} ended.
 *
 * @param completed true if every work queued before the destroy ran before the deadline
 * @param stillRunning works whose function was still running at the deadline (at most one); the
 *     thread finishes it and then ends
 * @param discarded works that were queued but had not started at the deadline; they will not run
 */
public record DestroyReport(boolean completed, List<Work> stillRunning, List<Work> discarded) {
  /** Every queued work ran in time: nothing still running, nothing discarded. */
  public static final DestroyReport EMPTY = new DestroyReport(true, List.of(), List.of());

  /**
   * Copies both lists, unmodifiable.
   *
   * @param completed true if every work queued before the destroy ran before the deadline
   * @param stillRunning works whose function was still running at the deadline (at most one)
   * @param discarded works that were queued but had not started at the deadline
   */
  public DestroyReport {
    stillRunning = List.copyOf(stillRunning);
    discarded = List.copyOf(discarded);
  }
}
