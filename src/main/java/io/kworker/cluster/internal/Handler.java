package io.kworker.cluster.internal;

import io.kworker.cluster.WorkHandler;

/**
 * A registered handler: its name, the payload type its payloads are read into, and its code.
 *
 * <p>INTERNAL API.
 */
public record Handler<P>(String name, Class<P> payloadType, WorkHandler<P> fn) {}
