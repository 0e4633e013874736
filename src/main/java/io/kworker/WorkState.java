package io.kworker;

/**
 * Where a work stands on its worker. Pending means queued to run (PENDING) or waiting on its timer
 * (ARMED); a work can be running and pending at once, as after a self-requeue.
 */
public enum WorkState {
  IDLE,
  ARMED,
  PENDING,
  RUNNING,
  RUNNING_AND_PENDING,
  RUNNING_AND_ARMED;

  /** The workqueue's {@code work_pending()}: queued or armed. */
  public boolean pending() {
    return this != IDLE && this != RUNNING;
  }

  /** True if an instance runs now. */
  public boolean running() {
    return this == RUNNING || this == RUNNING_AND_PENDING || this == RUNNING_AND_ARMED;
  }
}
