package io.kworker.internal;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The worker actor's armed works, the kernel's {@code delayed_work_list}: an intrusive doubly linked
 * list through {@link Timer#prev} and {@link Timer#next}, so that arming and disarming cost O(1) and
 * nothing more than the timer itself. Actor-confined.
 *
 * <p>INTERNAL API.
 */
final class ArmedWorks {
  private Timer first;
  private int size;

  void add(Timer tm) {
    assert tm.prev == null && tm.next == null && tm != first : "armed twice";
    tm.next = first;
    if (first != null) {
      first.prev = tm;
    }
    first = tm;
    size++;
  }

  void remove(Timer tm) {
    assert tm.prev != null || first == tm : "not armed";
    if (tm.prev != null) {
      tm.prev.next = tm.next;
    } else {
      first = tm.next;
    }
    if (tm.next != null) {
      tm.next.prev = tm.prev;
    }
    tm.prev = tm.next = null;
    size--;
  }

  /** Any armed timer, or null. */
  Timer first() {
    return first;
  }

  int size() {
    return size;
  }

  /** The names of the first few armed works, for one log line about all of them. */
  List<String> names() {
    return Names.firstFew(Stream.iterate(first, Objects::nonNull, tm -> tm.next).map(tm -> tm.subject).iterator(),
        size);
  }
}
