package io.gopherlens.k8s;

import io.opentelemetry.api.common.AttributeKey;

/** OpenTelemetry semantic-convention keys for containers and the pods and workloads that run them. */
public final class PodAttributes {
  private PodAttributes() {}

  public static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  public static final AttributeKey<String> CONTAINER_NAME = AttributeKey.stringKey("k8s.container.name");
  public static final AttributeKey<String> POD_NAME = AttributeKey.stringKey("k8s.pod.name");
  public static final AttributeKey<String> POD_UID = AttributeKey.stringKey("k8s.pod.uid");
  public static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  public static final AttributeKey<String> NODE_NAME = AttributeKey.stringKey("k8s.node.name");
  public static final AttributeKey<String> REPLICASET = AttributeKey.stringKey("k8s.replicaset.name");
  public static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("k8s.deployment.name");
  public static final AttributeKey<String> DAEMONSET = AttributeKey.stringKey("k8s.daemonset.name");
  public static final AttributeKey<String> STATEFULSET = AttributeKey.stringKey("k8s.statefulset.name");
  public static final AttributeKey<String> JOB = AttributeKey.stringKey("k8s.job.name");
  public static final AttributeKey<String> CRONJOB = AttributeKey.stringKey("k8s.cronjob.name");
  /** Followed by the label's key: {@code k8s.pod.label.app}. */
  public static final String LABEL_PREFIX = "k8s.pod.label.";
}
