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
    guard.enter();
    guard.before("first");
    if (names) {
      assertEquals("w", MDC.get(Instrumentation.MDC_WORKER));
      assertEquals("first", MDC.get(Instrumentation.MDC_WORK));
    }
    MDC.put("user.key", "leaks?");
    MDC.put(Instrumentation.MDC_WORKER, "overwritten by the work");
    guard.after();
    guard.before("second");
    assertNull(MDC.get("user.key"), "a key the first work put reached the second");
    assertEquals(names ? "w" : null, MDC.get(Instrumentation.MDC_WORKER));
    assertEquals(names ? "second" : null, MDC.get(Instrumentation.MDC_WORK));
    assertEquals(outer ? "r-1" : null, MDC.get("request"), "the thread's own MDC while works run");
    guard.after();
    guard.exit();
    Map<String, String> left = MDC.getCopyOfContextMap();
    assertEquals(outer ? Map.of("request", "r-1") : Map.of(), left == null ? Map.of() : left);
  }
}
