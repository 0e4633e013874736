package io.kworker.cluster;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The running instance of a cluster work, given to its {@link WorkHandler}. Valid only inside the
 * handler's run: afterwards every method throws {@link IllegalStateException}.
 */
public interface WorkContext {
  /** {@return the work's id, unique within its worker} */
  String workId();

  /** {@return the name of the worker running it} */
  String worker();

  /**
   * Whether this run is asked to stop: a long handler should check it and return early.
   *
   * @return true while a {@code cancelSync} of this work waits for this run, or while the worker's
   *     hand-off fence asks it to stop (its node is leaving)
   */
  boolean cancelRequested();

  /**
   * Requeues this work with its current payload, on this node, without a network hop: the kernel's
   * self-requeue. False while a {@code cancelSync} of it waits (so a cancelled chain stops for good) or
   * while it is already pending; fails with a {@link java.util.concurrent.RejectedExecutionException}
   * once the worker is destroyed or moving.
   *
   * @return true if newly queued
   */
  CompletionStage<Boolean> queueSelf();

  /**
   * {@link #queueSelf()} after {@code delay}: a self-re-arming work.
   *
   * @param delay at least zero
   * @return true if newly armed
   */
  CompletionStage<Boolean> queueSelfDelayed(Duration delay);
}
