package io.kworker.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The worker actor's armed works, the kernel's {@code delayed_work_list}: an intrusive doubly linked
 * list through {@link Timer#prev} and {@link Timer#next}, so that arming and disarming cost O(1) and
 * nothing more than the timer itself. Actor-confined.
 *
 * <p>INTERNAL API.
 */
final class ArmedWorks {
  /** How many names {@link #names} gives before it says how many more there are. */
  static final int SHOWN = 5;

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

  /** The works of the first few armed timers, for one log line about all of them. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (Timer tm = first; tm != null && names.size() < SHOWN; tm = tm.next) {
      names.add(((KthreadWork) tm.subject).logName());
    }
    if (size > SHOWN) {
      names.add("... " + (size - SHOWN) + " more");
    }
    return names;
  }
}
