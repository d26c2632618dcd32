package io.gopherlens.receiver;

/** Counts rejected items of one request and keeps the first reason, as partial_success wants. */
final class Rejections {
  private long count;
  private String first;

  void reject(long items, String reason) {
    if (items <= 0) {
      return;
    }
    count += items;
    if (first == null) {
      first = reason;
    }
  }

  long count() {
    return count;
  }

  String first() {
    return first;
  }
}
