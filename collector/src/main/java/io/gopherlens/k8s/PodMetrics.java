package io.gopherlens.k8s;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/** The pod directory's size and what it refused or could not read, as agent metrics. */
public final class PodMetrics {
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  private PodMetrics() {}

  /** {@code watcher} is null when pod metadata is off. */
  public static void register(Meter meter, PodDirectory pods, PodWatcher watcher) {
    meter
        .upDownCounterBuilder("gopherlens.k8s.pods")
        .setDescription("Pods of this node known to the agent (their containers get k8s.* attributes)")
        .setUnit("{pod}")
        .buildWithCallback(m -> m.record(pods.size()));
    meter
        .counterBuilder("gopherlens.k8s.dropped")
        .setDescription("Pods refused by the directory's bound, labels left off, and unreadable pods or watch events")
        .setUnit("{item}")
        .buildWithCallback(
            m -> {
              m.record(pods.podsDropped(), Attributes.of(REASON, "pod_limit"));
              m.record(pods.labelsDropped(), Attributes.of(REASON, "label_limit"));
              if (watcher != null) m.record(watcher.malformed(), Attributes.of(REASON, "malformed"));
            });
    if (watcher != null) {
      meter
          .counterBuilder("gopherlens.k8s.api.failures")
          .setDescription("Pod list or watch requests to the Kubernetes API server that failed (each is retried with backoff)")
          .setUnit("{request}")
          .buildWithCallback(m -> m.record(watcher.failures()));
    }
  }
}
