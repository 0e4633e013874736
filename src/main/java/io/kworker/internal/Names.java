package io.kworker.internal;

/**
 * Names as they go into log lines, MDC values, thread names and error messages: control characters
 * (and the Unicode line separators) escaped, so that a worker or work name cannot fake a log line.
 *
 * <p>INTERNAL API.
 */
public final class Names {
  private Names() {}

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
