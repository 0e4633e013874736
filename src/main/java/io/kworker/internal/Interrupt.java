package io.kworker.internal;

import akka.actor.DeadLetterSuppression;
import io.kworker.KWorker;

/** A cancel's grace period is over: interrupt the instance if it still runs. INTERNAL API. */
record Interrupt(Ticket ticket) implements KWorker.Command.Internal, DeadLetterSuppression {}
