package io.kworker;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A work that can also be queued after a delay, the kernel's {@code struct kthread_delayed_work}.
 *
 * <p>While its timer is armed the work is pending: queueing it again gives {@code false} and keeps the
 * expiry ({@link KWorker#modDelayed} changes it). {@link KWorker#queue(Work)} queues it at once, as
 * {@code kthread_queue_work(&dwork->work)} does.
 */
public sealed interface DelayedWork extends Work permits DelayedWorkImpl, ExecutorTask {

  /**
   * A delayed work that calls {@code fn} with itself, so that it can re-arm itself.
   *
   * @throws NullPointerException if either argument is null
   */
  static DelayedWork of(String name, Consumer<? super DelayedWork> fn) {
    return new DelayedWorkImpl(name, Objects.requireNonNull(fn, "work function"));
  }

  /** A delayed work that runs {@code fn}. */
  static DelayedWork of(String name, Runnable fn) {
    Objects.requireNonNull(fn, "work function");
    return new DelayedWorkImpl(name, w -> fn.run());
  }
}
