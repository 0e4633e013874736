package io.kworker;

import java.util.Objects;

/**
 * A work that can also be queued after a delay, the kernel's {@code struct kthread_delayed_work}.
 *
 * <p>While its timer is armed the work is pending: queueing it again gives {@code false} and keeps the
 * expiry ({@link KWorker#modDelayed} changes it). {@link KWorker#queue(Work)} queues it at once, as
 * {@code kthread_queue_work(&dwork->work)} does.
 */
public sealed interface DelayedWork extends Work permits DelayedWorkImpl, ExecutorTask {

  /**
   * A delayed work that runs {@code fn}, as {@link Work#of(String, WorkRunnable)}.
   *
   * @param name the work's name, in every log line and error about it
   * @param fn what the work runs
   * @return a new delayed work, bound to no worker yet
   * @throws NullPointerException if either argument is null
   */
  static DelayedWork of(String name, WorkRunnable fn) {
    return new DelayedWorkImpl(name, Objects.requireNonNull(fn, "work function"));
  }

  /**
   * A delayed work that calls {@code fn} with itself, so that it can re-arm itself
   * ({@code DelayedWork.of("poll", w -> { ...; worker.queueDelayed(w, period); })}).
   *
   * @param name the work's name, in every log line and error about it
   * @param fn what the work runs, given the work
   * @return a new delayed work, bound to no worker yet
   * @throws NullPointerException if either argument is null
   */
  static DelayedWork of(String name, WorkFunction<? super DelayedWork> fn) {
    return new DelayedWorkImpl(name, Objects.requireNonNull(fn, "work function"));
  }
}
