package io.kworker.internal;

import io.kworker.KWorker;
import java.util.concurrent.CompletableFuture;

/** Asks a worker actor for its handle, so that a façade can be put over a spawned ref. INTERNAL API. */
public record GetHandle(CompletableFuture<WorkerHandle> future) implements KWorker.Command.Internal {}
