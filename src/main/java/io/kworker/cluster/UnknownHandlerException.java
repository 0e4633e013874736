package io.kworker.cluster;

/**
 * A queueing call named a handler that is not registered on the node hosting the worker; nothing was
 * queued. Register every handler on every node before it joins the cluster.
 */
public final class UnknownHandlerException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * An unknown handler.
   *
   * @param message names the handler, the worker and the hosting node (host:port)
   */
  public UnknownHandlerException(String message) {
    super(message);
  }
}
