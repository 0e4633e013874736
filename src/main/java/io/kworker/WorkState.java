package io.kworker;

/**
 * Where a work stands on its worker. Pending means queued to run (PENDING) or waiting on its timer
 * (ARMED); a work can be running and pending at once, as after a self-requeue.
 */
public enum WorkState {
  /** Neither queued, armed nor running. */
  IDLE,
  /** Waiting on its timer (a delayed work). */
  ARMED,
  /** Queued to run. */
  PENDING,
  /** Running, and not pending. */
  RUNNING,
  /** Running, and queued again (by itself, say). */
  RUNNING_AND_PENDING,
  /** Running, and waiting on its timer again. */
  RUNNING_AND_ARMED;

  /** {@return the workqueue's {@code work_pending()}: true if queued or armed} */
  public boolean pending() {
    return this != IDLE && this != RUNNING;
  }

  /** {@return true if an instance runs now} */
  public boolean running() {
    return this == RUNNING || this == RUNNING_AND_PENDING || this == RUNNING_AND_ARMED;
  }
}
