package io.kworker;

/**
 * What a work runs when it does not need its own work: a {@link Runnable} that may throw checked
 * exceptions, so that a blocking call ({@code () -> Files.write(path, bytes)}) or a method reference
 * ({@code connection::flush}) is a work function as it stands.
 *
 * <p>It is a {@link WorkFunction} that ignores its work. Being the more specific of the two, it is the
 * one Java picks for a method reference that fits both (an overloaded method such as
 * {@code System.out::println}): the method without arguments is called.
 */
@FunctionalInterface
public interface WorkRunnable extends WorkFunction<Work> {
  /**
   * Runs once, on the worker's execution thread.
   *
   * @throws Exception anything; logged and counted by the worker, which goes on
   */
  void run() throws Exception;

  /**
   * Runs {@link #run()}: the work is not needed.
   *
   * @param work the work this run belongs to (unused)
   * @throws Exception what {@link #run()} throws
   */
  @Override
  default void run(Work work) throws Exception {
    run();
  }
}
