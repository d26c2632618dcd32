package io.gopherlens.export.loki;

/** The body of a Loki push request. */
public enum LokiFormat {
  /** Snappy-compressed protobuf {@code logproto.PushRequest}: Loki's native, smaller format. */
  PROTOBUF,
  /** {@code {"streams":[{"stream":{..},"values":[["<ns>","line",{..}]]}]}}, uncompressed. */
  JSON
}
