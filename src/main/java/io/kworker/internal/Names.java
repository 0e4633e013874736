package io.kworker.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Names as they go into log lines, MDC values, thread names and error messages: control characters
 * (and the Unicode line separators) escaped, so that a worker or work name cannot fake a log line.
 *
 * <p>INTERNAL API.
 */
public final class Names {
  /** How many names {@link #firstFew} gives before it says how many more there are. */
  static final int SHOWN = 5;

  private Names() {}

  /** The names of the first few {@code works}, then how many more. */
  static List<String> firstFew(Collection<?> works) {
    return firstFew(works.iterator(), works.size());
  }

  /** The names of the first few of {@code count} works, then how many more: for one log line about all. */
  static List<String> firstFew(Iterator<?> works, int count) {
    List<String> names = new ArrayList<>(SHOWN + 1);
    while (names.size() < SHOWN && works.hasNext()) {
      names.add(((KthreadWork) works.next()).logName());
    }
    if (count > SHOWN) {
      names.add("... " + (count - SHOWN) + " more");
    }
    return names;
  }

  /** {@code name} itself if it has nothing to escape (the usual case: no copy), else an escaped copy. */
  public static String safe(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (needsEscape(name.charAt(i))) {
        return escape(name, i);
      }
    }
    return name;
  }

  private static boolean needsEscape(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }

  private static String escape(String name, int from) {
    StringBuilder b = new StringBuilder(name.length() + 8).append(name, 0, from);
    for (int i = from; i < name.length(); i++) {
      char c = name.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (needsEscape(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
