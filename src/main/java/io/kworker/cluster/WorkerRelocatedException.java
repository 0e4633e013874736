package io.kworker.cluster;

/**
 * The worker left its node (a graceful leave, or a permitted rebalance) while the call waited, or while
 * it was moving: the call got no success. If {@link #stillRunning()}, the run the call waited for was
 * still alive when the worker left (it outlived the hand-off deadline and its interrupt), so the work
 * may still be running on the old node; retrying on the new home would wrongly say it is not.
 */
public final class WorkerRelocatedException extends IllegalStateException {
  /** The serialized form's version. */
  private static final long serialVersionUID = 1L;
  /** Whether the awaited run was still alive when the worker left. */
  private final boolean stillRunning;

  /**
   * A relocation error.
   *
   * @param message names the worker, the work and the node it left
   * @param stillRunning whether the awaited run was still alive when the worker left
   */
  public WorkerRelocatedException(String message, boolean stillRunning) {
    super(message);
    this.stillRunning = stillRunning;
  }

  /** {@return whether the awaited run was still alive on the old node when the worker left it} */
  public boolean stillRunning() {
    return stillRunning;
  }
}
