package io.gopherlens.export.loki;

/**
 * One log line of a stream: timestamp in Unix nanoseconds, the line, and structured metadata as
 * alternating names and values.
 */
record LokiEntry(LokiStream stream, long timestampNanos, String line, String[] metadata) {}
