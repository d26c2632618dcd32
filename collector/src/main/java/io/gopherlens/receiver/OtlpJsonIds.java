package io.gopherlens.receiver;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON differs from the standard proto3 JSON mapping in one way: trace and span ids are
 * hex strings, not base64. This rewrites them to base64 so protobuf's JsonFormat can parse the
 * rest (camelCase or snake_case names, enums as names or numbers, int64 as strings or numbers).
 */
final class OtlpJsonIds {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id");

  private OtlpJsonIds() {}

  static String toProto3Json(String otlpJson) throws InvalidProtocolBufferException {
    JsonNode root;
    try {
      root = JSON.readTree(otlpJson);
    } catch (JacksonException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidProtocolBufferException("OTLP/JSON body must be a JSON object");
    }
    rewrite(root);
    return root.toString();
  }

  private static void rewrite(JsonNode node) throws InvalidProtocolBufferException {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode v = field.getValue();
        if (ID_FIELDS.contains(field.getKey()) && v.isTextual()) {
          field.setValue(new TextNode(base64(field.getKey(), v.asText())));
        } else {
          rewrite(v);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode e : array) rewrite(e);
    }
  }

  private static String base64(String field, String hex) throws InvalidProtocolBufferException {
    byte[] bytes = Hex.decode(hex);
    if (bytes == null) {
      throw new InvalidProtocolBufferException(field + " must be a hex string, not '" + abbreviate(hex) + "'");
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
