package io.gopherlens.receiver;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP attributes and values to the SDK's types. Scalars and homogeneous scalar arrays become
 * the matching typed attribute (what Prometheus labels and OTLP exporters expect); maps, bytes
 * and mixed arrays become {@link Value} attributes, so nothing is flattened into strings.
 */
final class OtlpAttributes {
  private OtlpAttributes() {}

  static Attributes of(List<io.opentelemetry.proto.common.v1.KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder b = Attributes.builder();
    for (io.opentelemetry.proto.common.v1.KeyValue kv : kvs) {
      put(b, kv.getKey(), kv.getValue());
    }
    return b.build();
  }

  static Resource resource(io.opentelemetry.proto.resource.v1.Resource r, String schemaUrl) {
    Attributes attributes = of(r.getAttributesList());
    return schemaUrl.isEmpty() ? Resource.create(attributes) : Resource.create(attributes, schemaUrl);
  }

  static InstrumentationScopeInfo scope(InstrumentationScope s, String schemaUrl) {
    var b = InstrumentationScopeInfo.builder(s.getName());
    if (!s.getVersion().isEmpty()) b.setVersion(s.getVersion());
    if (!schemaUrl.isEmpty()) b.setSchemaUrl(schemaUrl);
    if (s.getAttributesCount() > 0) b.setAttributes(of(s.getAttributesList()));
    return b.build();
  }

  private static void put(AttributesBuilder b, String key, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> b.put(key, v.getStringValue());
      case BOOL_VALUE -> b.put(key, v.getBoolValue());
      case INT_VALUE -> b.put(key, v.getIntValue());
      case DOUBLE_VALUE -> b.put(key, v.getDoubleValue());
      case ARRAY_VALUE -> putArray(b, key, v.getArrayValue());
      case KVLIST_VALUE, BYTES_VALUE -> b.put(AttributeKey.valueKey(key), value(v));
      default -> {} // empty, or a profiles-only string-table index: nothing a label could show
    }
  }

  private static void putArray(AttributesBuilder b, String key, ArrayValue a) {
    AnyValue.ValueCase kind = homogeneousKind(a);
    switch (kind) {
      case STRING_VALUE -> {
        List<String> out = new ArrayList<>(a.getValuesCount());
        a.getValuesList().forEach(e -> out.add(e.getStringValue()));
        b.put(AttributeKey.stringArrayKey(key), out);
      }
      case BOOL_VALUE -> {
        List<Boolean> out = new ArrayList<>(a.getValuesCount());
        a.getValuesList().forEach(e -> out.add(e.getBoolValue()));
        b.put(AttributeKey.booleanArrayKey(key), out);
      }
      case INT_VALUE -> {
        List<Long> out = new ArrayList<>(a.getValuesCount());
        a.getValuesList().forEach(e -> out.add(e.getIntValue()));
        b.put(AttributeKey.longArrayKey(key), out);
      }
      case DOUBLE_VALUE -> {
        List<Double> out = new ArrayList<>(a.getValuesCount());
        a.getValuesList().forEach(e -> out.add(e.getDoubleValue()));
        b.put(AttributeKey.doubleArrayKey(key), out);
      }
      default -> b.put(AttributeKey.valueKey(key), arrayValue(a));
    }
  }

  /** The one scalar kind of every element, or VALUE_NOT_SET when empty, mixed or nested. */
  private static AnyValue.ValueCase homogeneousKind(ArrayValue a) {
    if (a.getValuesCount() == 0) {
      return AnyValue.ValueCase.VALUE_NOT_SET;
    }
    AnyValue.ValueCase first = a.getValues(0).getValueCase();
    for (AnyValue e : a.getValuesList()) {
      if (e.getValueCase() != first) return AnyValue.ValueCase.VALUE_NOT_SET;
    }
    return first;
  }

  /** Any OTLP value (log bodies, complex attributes) as an API {@link Value}. */
  static Value<?> value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> Value.of(v.getStringValue());
      case BOOL_VALUE -> Value.of(v.getBoolValue());
      case INT_VALUE -> Value.of(v.getIntValue());
      case DOUBLE_VALUE -> Value.of(v.getDoubleValue());
      case BYTES_VALUE -> Value.of(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> arrayValue(v.getArrayValue());
      case KVLIST_VALUE -> {
        KeyValue[] kvs = new KeyValue[v.getKvlistValue().getValuesCount()];
        for (int i = 0; i < kvs.length; i++) {
          io.opentelemetry.proto.common.v1.KeyValue kv = v.getKvlistValue().getValues(i);
          kvs[i] = KeyValue.of(kv.getKey(), value(kv.getValue()));
        }
        yield Value.of(kvs);
      }
      // A string-table index only means something in the profiles signal's dictionary.
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> Value.empty();
    };
  }

  private static Value<?> arrayValue(ArrayValue a) {
    List<Value<?>> out = new ArrayList<>(a.getValuesCount());
    a.getValuesList().forEach(e -> out.add(value(e)));
    return Value.of(out);
  }
}
