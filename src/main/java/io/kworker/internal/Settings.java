package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The {@code kworker} block of the configuration (see {@code reference.conf}). INTERNAL API.
 *
 * @param execution "dedicated" for a thread of the worker's own, or a dispatcher id
 * @param throughput works one drain runs on a shared dispatcher before it yields the thread
 * @param actorDispatcher the dispatcher of the worker actor ("" for Akka's default)
 * @param inboxBatch façade calls the actor takes in a row before it lets other messages in
 * @param wrapTimeout how long {@code KWorker.wrap} waits for the actor to answer
 */
public record Settings(String execution, int throughput, String actorDispatcher, int inboxBatch,
    Duration wrapTimeout) {

  public static final String DEDICATED = "dedicated";

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
   * block is bad (its settings and timers are made here, once per system) or {@link #execution} names no
   * configured dispatcher.
   */
  public Settings validate(ActorSystem<?> system) {
    SystemShared.get(system);
    if (!dedicated()) {
      system.dispatchers().lookup(DispatcherSelector.fromConfig(execution));
    }
    if (!actorDispatcher.isEmpty()) {
      system.dispatchers().lookup(DispatcherSelector.fromConfig(actorDispatcher));
    }
    return this;
  }

  boolean dedicated() {
    return DEDICATED.equals(execution);
  }

  /** The executor of a new worker's lane: its own thread, named like a kthread, or a dispatcher. */
  Executor laneExecutor(ActorSystem<?> system, String workerName) {
    if (!dedicated()) {
      return system.dispatchers().lookup(DispatcherSelector.fromConfig(execution));
    }
    return new DedicatedThread("kworker/" + workerName);
  }

  int laneBatch() {
    return dedicated() ? Integer.MAX_VALUE : throughput;
  }
}
