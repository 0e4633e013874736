package io.kworker.cluster;

import java.util.Objects;

/**
 * A work that can cross nodes: its id (unique within its worker), the name of the handler that runs it
 * and the payload given to that handler. The payload travels as CBOR, written from {@code payload} with
 * Akka's Jackson object mapper and read back, on the node that runs the work, into the type the handler
 * was registered with: any Jackson-serializable value (a record, a String, a number, a List), or null.
 *
 * @param id the work's id within its worker; its first use binds it to {@code handler}
 * @param handler the registered name of the handler that runs it
 * @param payload the handler's argument, or null
 */
public record WorkSpec(String id, String handler, Object payload) {
  /**
   * Checks that the id and the handler are given and not empty.
   *
   * @param id the work's id within its worker
   * @param handler the registered name of the handler that runs it
   * @param payload the handler's argument, or null
   */
  public WorkSpec {
    if (Objects.requireNonNull(id, "work id").isEmpty()) {
      throw new IllegalArgumentException("work id is empty");
    }
    if (Objects.requireNonNull(handler, "handler").isEmpty()) {
      throw new IllegalArgumentException("handler name is empty (work [" + id + "])");
    }
  }

  /**
   * {@return the spec of work {@code id}, run by {@code handler} with {@code payload}}
   *
   * @param id the work's id within its worker
   * @param handler the registered name of the handler that runs it
   * @param payload the handler's argument, or null
   */
  public static WorkSpec of(String id, String handler, Object payload) {
    return new WorkSpec(id, handler, payload);
  }
}
