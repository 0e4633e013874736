package io.kworker;

/**
 * What a work runs, given its own work: the kernel's {@code kthread_work_func_t}, called as
 * {@code work->func(work)}, so that a function can requeue or re-arm the work it belongs to
 * ({@code w -> worker.queueDelayed(w, period)}).
 *
 * <p>It may throw anything, checked exceptions included: the worker logs what it throws, with the
 * worker's and the work's names, counts the run as failed ({@link KWorkerStats#failed()}) and goes on
 * with the next work.
 *
 * @param <W> the kind of work it runs for: {@link Work}, or {@link DelayedWork} for a function that
 *     re-arms its work
 */
@FunctionalInterface
public interface WorkFunction<W extends Work> {
  /**
   * Runs once, on the worker's execution thread.
   *
   * @param work the work this run belongs to
   * @throws Exception anything; logged and counted by the worker, which goes on
   */
  void run(W work) throws Exception;
}
