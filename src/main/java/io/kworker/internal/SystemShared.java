package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;

/**
 * What an actor system's workers share: their settings ({@code kworker.*}, read once) and their timers
 * (the timer thread, or Akka's scheduler). An Akka extension, so there
 * is exactly one per actor system (a map keyed by the system would mix up two systems of the same name:
 * actor refs, systems included, are equal by path).
 *
 * <p>INTERNAL API.
 */
final class SystemShared implements Extension {
  private static final ExtensionId<SystemShared> ID = new ExtensionId<>() {
    @Override
    public SystemShared createExtension(ActorSystem<?> system) {
      return new SystemShared(system);
    }
  };

  final Settings settings;
  final Timers timers;

  private SystemShared(ActorSystem<?> system) {
    this.settings = Settings.from(system.settings().config().getConfig("kworker"));
    this.timers = Timers.create(system);
  }

  static SystemShared get(ActorSystem<?> system) {
    return ID.apply(system);
  }
}
