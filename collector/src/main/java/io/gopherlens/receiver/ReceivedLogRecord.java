package io.gopherlens.receiver;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;

/** One log record as received over OTLP, with its sender's resource and scope. */
record ReceivedLogRecord(
    Resource resource,
    InstrumentationScopeInfo scope,
    long timestampEpochNanos,
    long observedTimestampEpochNanos,
    SpanContext spanContext,
    Severity severity,
    String severityText,
    Value<?> bodyValue,
    Attributes attributes,
    int totalAttributeCount,
    String eventName)
    implements LogRecordData {
  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public long getTimestampEpochNanos() {
    return timestampEpochNanos;
  }

  @Override
  public long getObservedTimestampEpochNanos() {
    return observedTimestampEpochNanos;
  }

  @Override
  public SpanContext getSpanContext() {
    return spanContext;
  }

  @Override
  public Severity getSeverity() {
    return severity;
  }

  @Override
  public String getSeverityText() {
    return severityText;
  }

  /** The pre-1.42 body type: strings as such, anything else as its string form. */
  @Override
  @Deprecated
  public Body getBody() {
    if (bodyValue == null || bodyValue.getType() == ValueType.EMPTY) {
      return Body.empty();
    }
    return Body.string(bodyValue.asString());
  }

  @Override
  public Value<?> getBodyValue() {
    return bodyValue;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return totalAttributeCount;
  }

  @Override
  public String getEventName() {
    return eventName;
  }
}
