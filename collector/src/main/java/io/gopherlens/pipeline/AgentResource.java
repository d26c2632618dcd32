package io.gopherlens.pipeline;

import io.gopherlens.Main;
import io.gopherlens.agent.AgentConfig;
import io.gopherlens.agent.AgentOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;

/**
 * The agent's Resource: the SDK's telemetry.sdk.* attributes, host.name, service.version, then
 * OTEL_RESOURCE_ATTRIBUTES, then service.name from OTEL_SERVICE_NAME (or the "gopherlens"
 * default when neither names one), in that order of precedence as the specification sets it.
 */
public final class AgentResource {
  static final String DEFAULT_SERVICE_NAME = "gopherlens";
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");

  private AgentResource() {}

  public static Resource of(AgentConfig config) {
    AttributesBuilder attributes =
        Attributes.builder().put(HOST_NAME, hostName()).put(SERVICE_VERSION, Main.version());
    config.keyValues(AgentOptions.RESOURCE_ATTRIBUTES).forEach(attributes::put);
    String serviceName = config.string(AgentOptions.SERVICE_NAME);
    if (serviceName != null) {
      attributes.put(SERVICE_NAME, serviceName);
    } else if (!config.keyValues(AgentOptions.RESOURCE_ATTRIBUTES).containsKey(SERVICE_NAME.getKey())) {
      attributes.put(SERVICE_NAME, DEFAULT_SERVICE_NAME);
    }
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  /** The kernel's hostname (what `hostname` prints), which a container shares with its node under hostNetwork. */
  static String hostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!name.isEmpty()) return name;
    } catch (IOException ignored) {
      // not Linux: ask the JDK
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
