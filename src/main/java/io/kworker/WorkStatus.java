package io.kworker;

/**
 * A snapshot of a work on its worker, taken by the worker at one instant.
 *
 * @param work the work
 * @param state pending and running state
 * @param canceling cancels ({@code cancelSync}) now waiting for the running instance; queueing is
 *     refused while it is non-zero
 * @param disabled the disable count; queueing is refused while it is non-zero
 */
public record WorkStatus(Work work, WorkState state, int canceling, int disabled) {

  /**
   * {@return the status of a work that this worker has never seen, or on a worker that is gone}
   *
   * @param work the work
   */
  public static WorkStatus idle(Work work) {
    return new WorkStatus(work, WorkState.IDLE, 0, 0);
  }
}
