package io.kworker.cluster;

/**
 * A work id was used with another handler than the one its first use bound it to, as
 * {@code kthread_init_work} binds a work to its function; nothing was queued.
 */
public final class WorkBindingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * A work id used with another handler.
   *
   * @param message names the id, the bound handler and the refused one
   */
  public WorkBindingException(String message) {
    super(message);
  }
}
