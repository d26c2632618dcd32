package io.gopherlens.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the YAML config file into dotted keys: {@code prometheus: {listen: x}} becomes
 * {@code prometheus.listen=x}. Unknown keys are an error, so a misspelt setting is not ignored.
 */
final class ConfigFile {
  private ConfigFile() {}

  static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) throw new IllegalArgumentException("config file " + file + " must be a YAML mapping");
      flatten("", root, out, file);
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(key + ".", v, out, file);
      } else if (v.isNull()) {
        // an empty key keeps its default
      } else if (v.isValueNode()) {
        try {
          AgentConfig.option(key);
        } catch (IllegalArgumentException unknown) {
          throw new IllegalArgumentException("config file " + file + ": unknown setting '" + key + "' (see `agent --help`)");
        }
        out.put(key, v.asText());
      } else {
        throw new IllegalArgumentException("config file " + file + ": '" + key + "' must be a single value");
      }
    }
  }
}
