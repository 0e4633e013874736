package io.kworker.internal;

import akka.actor.NoSerializationVerificationNeeded;
import java.util.List;

/**
 * The lane's word that an instance it was asked to tell about is over (finished, skipped as cancelled,
 * or a barrier reached). It goes into the {@link Inbox} once every façade call the run made is served
 * (until then the actor settles the run itself), with the waiters the lane took off the ticket; or,
 * behind protocol commands that runs sent from the lane's thread, through the actor's mailbox, with no
 * waiters taken (then the actor takes them).
 *
 * <p>INTERNAL API.
 */
final class Over extends Inbox.Entry implements NoSerializationVerificationNeeded {
  final Ticket ticket;
  /**
   * The waiters the lane took (and may have answered itself already), set before the Over goes into the
   * inbox; null on the mailbox way.
   */
  List<Request> waiters;

  Over(Ticket ticket, List<Request> waiters) {
    this.ticket = ticket;
    this.waiters = waiters;
  }
}
