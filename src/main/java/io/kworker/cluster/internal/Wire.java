package io.kworker.cluster.internal;

/**
 * The marker of every kworker message that crosses nodes, bound to {@link WireSerializer} in kworker's
 * {@code reference.conf}. Nothing else of kworker's is ever serialized.
 *
 * <p>INTERNAL API.
 */
public interface Wire {}
