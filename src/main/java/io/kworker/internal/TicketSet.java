package io.kworker.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of tickets that allocates nothing for one: most waits on a worker are one at a time, and
 * 100,000 idle workers add up (an empty {@code HashSet} is 48 bytes, a used one over 100).
 * Actor-confined.
 *
 * <p>INTERNAL API.
 */
final class TicketSet {
  /** null, one ticket, or a {@code Set} of two or more. */
  private Object tickets;

  void add(Ticket t) {
    if (tickets == null) {
      tickets = t;
    } else if (tickets instanceof Ticket only) {
      if (only != t) {
        Set<Ticket> set = new HashSet<>();
        set.add(only);
        set.add(t);
        tickets = set;
      }
    } else {
      set().add(t);
    }
  }

  void remove(Ticket t) {
    if (tickets == t) {
      tickets = null;
    } else if (tickets instanceof Set<?> && set().remove(t) && set().isEmpty()) {
      tickets = null; // back to the idle footprint
    }
  }

  boolean contains(Ticket t) {
    return tickets == t || (tickets instanceof Set<?> && set().contains(t));
  }

  /** A copy, to iterate while the set changes. */
  Collection<Ticket> toList() {
    if (tickets == null) {
      return List.of();
    }
    return tickets instanceof Ticket only ? List.of(only) : List.copyOf(set());
  }

  @SuppressWarnings("unchecked")
  private Set<Ticket> set() {
    return (Set<Ticket>) tickets;
  }
}
