package io.kworker;

final class WorkImpl extends FunctionWork<Work> implements Work {
  WorkImpl(String name, WorkFunction<? super Work> fn) {
    super(name, fn);
  }
}
