package io.kworker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

/**
 * The lane's MDC on both of its ways, Logback's size check and the generic clear (any other binding):
 * a work's own keys are gone before the next work, the worker's and work's names are set while it runs,
 * and the thread's MDC is as it was once the drain hands it back.
 */
class MdcGuardTest {
  private static KthreadWork work(String name) {
    return (KthreadWork) io.kworker.Work.of(name, () -> { });
  }

  @AfterEach
  void clear() {
    MDC.clear();
  }

  /** This project logs with Logback: the cheap check must be the one in use. */
  @org.junit.jupiter.api.Test
  void logbackIsCheckedCheaply() {
    org.junit.jupiter.api.Assertions.assertTrue(MdcGuard.logbackCheck());
  }

  @ParameterizedTest(name = "names={0} fast={1} outer={2}")
  @CsvSource({"true,true,false", "true,false,false", "false,true,false", "false,false,false",
      "true,true,true", "true,false,true", "false,true,true", "false,false,true"})
  void aWorksKeysAreGoneBeforeTheNextWork(boolean names, boolean fast, boolean outer) {
    if (outer) {
      MDC.put("request", "r-1");
    }
    MdcGuard guard = new MdcGuard(names, "w", fast);
    Map<String, String> found = guard.enter();
    guard.before(work("first"));
    if (names) {
      assertEquals("w", MDC.get(Instrumentation.MDC_WORKER));
      assertEquals("first", MDC.get(Instrumentation.MDC_WORK));
    }
    MDC.put("user.key", "leaks?");
    MDC.put(Instrumentation.MDC_WORKER, "overwritten by the work");
    guard.after();
    guard.before(work("second"));
    assertNull(MDC.get("user.key"), "a key the first work put reached the second");
    assertEquals(names ? "w" : null, MDC.get(Instrumentation.MDC_WORKER));
    assertEquals(names ? "second" : null, MDC.get(Instrumentation.MDC_WORK));
    assertEquals(outer ? "r-1" : null, MDC.get("request"), "the thread's own MDC while works run");
    guard.after();
    guard.exit(found);
    Map<String, String> left = MDC.getCopyOfContextMap();
    assertEquals(outer ? Map.of("request", "r-1") : Map.of(), left == null ? Map.of() : left);
  }

  /**
   * On a shared dispatcher the next batch can start on another thread, and enter, before the previous
   * one exits: each batch's exit restores its own thread's MDC, not the one the later batch found.
   */
  @ParameterizedTest(name = "fast={0}")
  @CsvSource({"true", "false"})
  void aBatchRestoresItsOwnThreadsMdcWhenTheNextOneEnteredElsewhereFirst(boolean fast) throws Exception {
    MdcGuard guard = new MdcGuard(true, "w", fast);
    MDC.put("request", "r-1");
    Map<String, String> found = guard.enter();
    guard.before(work("a"));
    guard.after();
    Thread next = new Thread(() -> { // the next batch, on another dispatcher thread
      MDC.put("other", "o-2");
      Map<String, String> itsOwn = guard.enter();
      guard.before(work("b"));
      guard.after();
      guard.exit(itsOwn);
    });
    next.start();
    next.join(10_000);
    org.junit.jupiter.api.Assertions.assertFalse(next.isAlive(), "the other batch did not end");
    guard.exit(found);
    assertEquals(Map.of("request", "r-1"), MDC.getCopyOfContextMap());
  }
}
