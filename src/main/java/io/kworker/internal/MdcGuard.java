package io.kworker.internal;

import java.lang.reflect.Field;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * The lane's MDC, per batch: what the thread had before (restored when the batch hands it back), the
 * worker's and the running work's names (when {@code kworker.mdc} is on), and nothing a work put there:
 * what a work leaves in the MDC is gone before the next work runs.
 *
 * <p>INTERNAL API.
 *
 * <p>Checking that after every work must be cheap (a work costs well under a microsecond): with
 * Logback, whose MDC is a map in a thread local, it is a look at that map's size and two entries; with
 * any other SLF4J binding, or if Logback's map cannot be reached, the MDC is cleared and set again after
 * every work (about 40 ns more).
 */
final class MdcGuard {
  /** Logback's map of the calling thread's MDC, or null to take the generic way. */
  private static final ThreadLocal<Map<String, String>> LOGBACK = logbackMap();

  private final boolean names;
  private final String worker;
  private final boolean fast;
  /** The MDC the current batch found, or null if it was empty; for {@link #after}, on the batch's thread. */
  private Map<String, String> outer;
  /** The work's name last put, for the check after it. */
  private String work;

  /** Whether the Logback check is in use (for tests: a Logback upgrade must not lose it unseen). */
  static boolean logbackCheck() {
    return LOGBACK != null;
  }

  MdcGuard(boolean names, String worker) {
    this(names, worker, LOGBACK != null);
  }

  MdcGuard(boolean names, String worker, boolean fast) {
    this.names = names;
    this.worker = worker;
    this.fast = fast;
  }

  /**
   * At the start of a batch; returns what {@link #exit} restores. The batch's thread keeps it: on a
   * shared dispatcher the next batch may start on another thread, and enter here, before this one exits.
   */
  Map<String, String> enter() {
    Map<String, String> found;
    if (fast) {
      Map<String, String> map = LOGBACK.get(); // no copy unless there is something to keep
      found = map == null || map.isEmpty() ? null : Map.copyOf(map);
    } else {
      found = MDC.getCopyOfContextMap();
      if (found != null && found.isEmpty()) {
        found = null;
      }
    }
    outer = found;
    if (names) {
      MDC.put(Instrumentation.MDC_WORKER, worker);
    }
    return found;
  }

  /** Before a work runs. */
  void before(KthreadWork w) {
    if (names) { // its log name is made only when it goes into the MDC
      work = w.logName();
      MDC.put(Instrumentation.MDC_WORK, work);
    }
  }

  /** After a work has run: takes out whatever it left. */
  void after() {
    if (fast && outer == null && clean(LOGBACK.get())) {
      return;
    }
    reset();
    if (names) {
      MDC.put(Instrumentation.MDC_WORKER, worker);
    }
  }

  /** Whether the map holds exactly what this batch put there. */
  private boolean clean(Map<String, String> map) {
    if (!names) {
      return map == null || map.isEmpty();
    }
    return map != null && map.size() == 2 && map.get(Instrumentation.MDC_WORKER) == worker
        && map.get(Instrumentation.MDC_WORK) == work;
  }

  /**
   * At the end of a batch: the thread's MDC as it was, {@code outer} being what its {@link #enter}
   * returned. After {@link #after} only this batch's names are left, and removing them (rather than
   * clearing) lets Logback keep its map for the next batch.
   */
  void exit(Map<String, String> outer) {
    if (outer != null) {
      MDC.setContextMap(outer);
    } else if (names) {
      MDC.remove(Instrumentation.MDC_WORK);
      MDC.remove(Instrumentation.MDC_WORKER);
    }
  }

  private void reset() {
    if (outer == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(outer);
    }
  }

  @SuppressWarnings("unchecked")
  private static ThreadLocal<Map<String, String>> logbackMap() {
    try {
      MDCAdapter adapter = MDC.getMDCAdapter();
      Class<?> logback = Class.forName("ch.qos.logback.classic.util.LogbackMDCAdapter");
      if (adapter == null || adapter.getClass() != logback) {
        return null;
      }
      Field f = logback.getDeclaredField("readWriteThreadLocalMap");
      f.setAccessible(true);
      ThreadLocal<Map<String, String>> map = (ThreadLocal<Map<String, String>>) f.get(adapter);
      // check that it is the map MDC.put writes to, as in every Logback from 1.3 on
      String probe = "kworker.probe";
      MDC.put(probe, probe);
      try {
        Map<String, String> m = map.get();
        return m != null && m.get(probe) == probe ? map : null;
      } finally {
        MDC.remove(probe);
      }
    } catch (Throwable e) { // not Logback, another version, or a module that does not open it
      return null;
    }
  }
}
