package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The {@code kworker} block of the configuration (see {@code reference.conf}). INTERNAL API.
 *
 * @param execution "dedicated" for a platform thread of the worker's own, "virtual" for virtual threads
 *     (Java 21+), or a dispatcher id
 * @param throughput works one drain runs on a shared dispatcher (or a virtual thread) before it yields
 *     the thread
 * @param actorDispatcher the dispatcher of the worker actor ("" for Akka's default)
 * @param inboxBatch façade calls the actor takes in a row before it lets other messages in
 * @param wrapTimeout how long {@code KWorker.wrap} waits for the actor to answer
 */
public record Settings(String execution, int throughput, String actorDispatcher, int inboxBatch,
    Duration wrapTimeout) {

  /** {@link #execution}: a platform thread of the worker's own. */
  public static final String DEDICATED = "dedicated";
  /** {@link #execution}: virtual threads (Java 21+), see {@link VirtualThreads}. */
  public static final String VIRTUAL = "virtual";
  /** The key that sets every worker's execution unless something more specific does. */
  public static final String EXECUTION_KEY = "kworker.execution";

  /** One instance per actor system, shared by its workers (each one's initial behavior keeps it). */
  public static Settings from(ActorSystem<?> system) {
    return SystemShared.get(system).settings;
  }

  public Settings {
    if (throughput < 1 || inboxBatch < 1) {
      throw new IllegalArgumentException("kworker.throughput and kworker.inbox-batch must be at least 1, not "
          + throughput + " and " + inboxBatch);
    }
  }

  public static Settings from(Config c) {
    return new Settings(c.getString("execution"), c.getInt("throughput"),
        c.getString("actor-dispatcher"), c.getInt("inbox-batch"), c.getDuration("wrap-timeout"));
  }

  public Settings withExecution(String execution) {
    if (execution.equals(this.execution)) {
      return this;
    }
    return new Settings(execution, throughput, actorDispatcher, inboxBatch, wrapTimeout);
  }

  /**
   * Fails fast, on the caller's thread, before a worker is spawned: if the actor system's {@code kworker}
   * block is bad (its settings and timers are made here, once per system), {@link #execution} names no
   * configured dispatcher, or it is "virtual" on a JVM without virtual threads.
   *
   * @param worker the worker's name, for the error
   * @param executionKey where {@link #execution} was set ({@link #EXECUTION_KEY}, a worker's block, or an
   *     argument), for the error
   */
  public Settings validate(ActorSystem<?> system, String worker, String executionKey) {
    SystemShared.get(system);
    if (virtual()) {
      checkVirtual(worker, executionKey);
    } else if (!dedicated()) {
      system.dispatchers().lookup(DispatcherSelector.fromConfig(execution));
    }
    if (!actorDispatcher.isEmpty()) {
      system.dispatchers().lookup(DispatcherSelector.fromConfig(actorDispatcher));
    }
    return this;
  }

  private static void checkVirtual(String worker, String executionKey) {
    if (VirtualThreads.UNAVAILABLE != null) {
      throw new UnsupportedOperationException("worker [" + Names.safe(worker) + "] is not created: "
          + Names.safe(executionKey) + " = \"" + VIRTUAL + "\" " + VirtualThreads.UNAVAILABLE
          + " (on this JVM, use \"" + DEDICATED + "\" or a dispatcher id)");
    }
  }

  /** A platform thread of the worker's own. */
  boolean dedicated() {
    return DEDICATED.equals(execution);
  }

  boolean virtual() {
    return VIRTUAL.equals(execution);
  }

  /**
   * The executor of a new worker's lane: its own thread or virtual threads, named like a kthread, or a
   * dispatcher. {@code workerName} is already safe to log.
   */
  Executor laneExecutor(ActorSystem<?> system, String workerName) {
    if (dedicated()) {
      return new DedicatedThread("kworker/" + workerName);
    }
    if (virtual()) {
      checkVirtual(workerName, EXECUTION_KEY); // validated already, except for KWorker.behavior's workers
      return VirtualThreads.named("kworker/" + workerName);
    }
    return system.dispatchers().lookup(DispatcherSelector.fromConfig(execution));
  }

  int laneBatch() {
    return dedicated() ? Integer.MAX_VALUE : throughput;
  }
}
