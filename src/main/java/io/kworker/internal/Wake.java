package io.kworker.internal;

import akka.actor.DeadLetterSuppression;
import io.kworker.KWorker;

/** Tells the worker actor that its {@link Inbox} has requests. INTERNAL API. */
final class Wake implements KWorker.Command.Internal, DeadLetterSuppression {
  static final Wake INSTANCE = new Wake();

  private Wake() {}
}
