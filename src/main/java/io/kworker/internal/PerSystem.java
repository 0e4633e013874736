package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;

/**
 * What an actor system's workers share: their settings and their timers. An Akka extension, so there
 * is exactly one per actor system (a map keyed by the system would mix up two systems of the same name:
 * actor refs, systems included, are equal by path).
 *
 * <p>INTERNAL API.
 */
final class PerSystem implements Extension {
  private static final ExtensionId<PerSystem> ID = new ExtensionId<>() {
    @Override
    public PerSystem createExtension(ActorSystem<?> system) {
      return new PerSystem(system);
    }
  };

  final Settings settings;
  final Timers timers;

  private PerSystem(ActorSystem<?> system) {
    this.settings = Settings.from(system.settings().config().getConfig("kworker"));
    this.timers = Timers.create(system);
  }

  static PerSystem get(ActorSystem<?> system) {
    return ID.apply(system);
  }
}
