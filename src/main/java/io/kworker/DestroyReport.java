package io.kworker;

import java.util.List;

/**
 * How a bounded {@link KWorker#destroy(java.time.Duration)} ended.
 *
 * @param completed true if every work queued before the destroy ran before the deadline
 * @param stillRunning works whose function was still running at the deadline (at most one); the
 *     thread finishes it and then ends
 * @param discarded works that were queued but had not started at the deadline; they will not run
 * @param disarmed delayed works whose timer was armed when the destroy was accepted: their timers
 *     were cancelled and they will not run
 */
public record DestroyReport(boolean completed, List<Work> stillRunning, List<Work> discarded,
    List<Work> disarmed) {
  /** A destroy that found nothing queued, running or armed. */
  public static final DestroyReport EMPTY = new DestroyReport(true, List.of(), List.of(), List.of());

  /**
   * Copies the lists, unmodifiable.
   *
   * @param completed true if every work queued before the destroy ran before the deadline
   * @param stillRunning works whose function was still running at the deadline (at most one)
   * @param discarded works that were queued but had not started at the deadline
   * @param disarmed delayed works whose armed timers the destroy cancelled
   */
  public DestroyReport {
    stillRunning = List.copyOf(stillRunning);
    discarded = List.copyOf(discarded);
    disarmed = List.copyOf(disarmed);
  }

  /**
   * A report of a destroy that disarmed nothing.
   *
   * @param completed true if every work queued before the destroy ran before the deadline
   * @param stillRunning works whose function was still running at the deadline
   * @param discarded works that were queued but had not started at the deadline
   */
  public DestroyReport(boolean completed, List<Work> stillRunning, List<Work> discarded) {
    this(completed, stillRunning, discarded, List.of());
  }
}
