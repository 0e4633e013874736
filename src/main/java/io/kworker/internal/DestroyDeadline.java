package io.kworker.internal;

import akka.actor.DeadLetterSuppression;
import io.kworker.KWorker;

/** The deadline of a bounded destroy. INTERNAL API. */
final class DestroyDeadline implements KWorker.Command.Internal, DeadLetterSuppression {
  static final DestroyDeadline INSTANCE = new DestroyDeadline();

  private DestroyDeadline() {}
}
