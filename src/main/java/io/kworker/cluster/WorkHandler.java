package io.kworker.cluster;

/**
 * The code of a cluster work, registered by name on every node with
 * {@link ClusterKWorkers#register}. It runs on the execution thread of the worker's current home, with
 * the payload decoded into the type it was registered with. A throwable it throws is logged and counted
 * by the worker, as a local work's.
 *
 * @param <P> the payload type the handler was registered with
 */
@FunctionalInterface
public interface WorkHandler<P> {
  /**
   * Runs one instance of a work.
   *
   * @param ctx the running instance; valid only until this method returns
   * @param payload the payload of the latest queueing call before this run started (may be null)
   * @throws Exception anything; the worker logs it and goes on with its next work
   */
  void run(WorkContext ctx, P payload) throws Exception;
}
