package io.gopherlens.receiver;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path for the common metrics request, straight from protobuf wire format to SDK data:
 * gauges and sums of number points with scalar attributes, the shape host agents and SDKs send.
 * It skips the generated messages, which cost about half the receiver's CPU per point. Anything
 * else (histograms, exemplars, array or map attributes, a singular field sent twice) makes it
 * return null, and the caller decodes with the generated parser and {@link
 * OtlpMetricsConverter}, whose results this must equal (checked by OtlpMetricsWireDecoderTest).
 * Field numbers are those of opentelemetry-proto's metrics.proto, common.proto, resource.proto.
 */
final class OtlpMetricsWireDecoder {
  /** Thrown inside to give up on the fast path; never escapes. */
  private static final class NotFastPath extends Exception {
    private static final NotFastPath INSTANCE = new NotFastPath();

    private NotFastPath() {
      super(null, null, false, false);
    }
  }

  private final byte[] buf;
  private final List<MetricData> out = new ArrayList<>();
  private final Rejections rejected = new Rejections();
  private long accepted;

  private OtlpMetricsWireDecoder(byte[] buf) {
    this.buf = buf;
  }

  /**
   * The converted request, or null when it is not of the fast path's shape.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a valid request
   */
  static Converted<MetricData> decode(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
    OtlpMetricsWireDecoder d = new OtlpMetricsWireDecoder(buf);
    try {
      CodedInputStream in = CodedInputStream.newInstance(buf, offset, length);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == lengthDelimited(1)) {
          d.resourceMetrics(sub(in, offset));
        } else {
          skip(in, tag);
        }
      }
    } catch (NotFastPath e) {
      return null;
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return new Converted<>(d.out, d.accepted, d.rejected.count(), d.rejected.first());
  }

  /** A nested message: [start, end) of {@link #buf}; the stream is moved past it. */
  private record Range(int start, int end) {}

  private static Range sub(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0) {
      throw new InvalidProtocolBufferException("a nested message has a negative length");
    }
    int start = base + in.getTotalBytesRead();
    in.skipRawBytes(length); // throws when the message runs past its parent
    return new Range(start, start + length);
  }

  private CodedInputStream open(Range r) {
    return CodedInputStream.newInstance(buf, r.start, r.end - r.start);
  }

  private static int lengthDelimited(int field) {
    return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  // ResourceMetrics: 1 resource, 2 scope_metrics, 3 schema_url. The schema URL follows the scopes
  // on the wire, so the scopes are decoded after the first pass.
  private void resourceMetrics(Range r) throws IOException, NotFastPath {
    CodedInputStream in = open(r);
    Range resource = null;
    String schemaUrl = "";
    List<Range> scopes = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> resource = once(resource, sub(in, r.start));
        case 18 -> scopes.add(sub(in, r.start));
        case 26 -> schemaUrl = in.readStringRequireUtf8();
        default -> skip(in, tag);
      }
    }
    Attributes attributes = resource == null ? Attributes.empty() : attributesOf(resource, 1, 26); // 26: entity_refs, for the generated parser
    Resource res;
    try {
      res = schemaUrl.isEmpty() ? Resource.create(attributes) : Resource.create(attributes, schemaUrl);
    } catch (IllegalArgumentException e) {
      throw NotFastPath.INSTANCE; // an invalid resource key: the converter rejects its points
    }
    for (Range s : scopes) scopeMetrics(res, s);
  }

  // ScopeMetrics: 1 scope, 2 metrics, 3 schema_url.
  private void scopeMetrics(Resource resource, Range r) throws IOException, NotFastPath {
    CodedInputStream in = open(r);
    Range scope = null;
    String schemaUrl = "";
    List<Range> metrics = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> scope = once(scope, sub(in, r.start));
        case 18 -> metrics.add(sub(in, r.start));
        case 26 -> schemaUrl = in.readStringRequireUtf8();
        default -> skip(in, tag);
      }
    }
    InstrumentationScopeInfo info = scope(scope, schemaUrl);
    for (Range m : metrics) metric(resource, info, m);
  }

  // InstrumentationScope: 1 name, 2 version, 3 attributes.
  private InstrumentationScopeInfo scope(Range r, String schemaUrl) throws IOException, NotFastPath {
    String name = "";
    String version = "";
    Attributes attributes = Attributes.empty();
    if (r != null) {
      CodedInputStream in = open(r);
      boolean hasAttributes = false;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> name = in.readStringRequireUtf8();
          case 18 -> version = in.readStringRequireUtf8();
          case 26 -> {
            hasAttributes = true;
            sub(in, r.start);
          }
          default -> skip(in, tag);
        }
      }
      if (hasAttributes) attributes = attributesOf(r, 3, -1);
    }
    var b = InstrumentationScopeInfo.builder(name);
    if (!version.isEmpty()) b.setVersion(version);
    if (!schemaUrl.isEmpty()) b.setSchemaUrl(schemaUrl);
    if (!attributes.isEmpty()) b.setAttributes(attributes);
    return b.build();
  }

  // Metric: 1 name, 2 description, 3 unit, 5 gauge, 7 sum; 9, 10, 11 are the other data kinds.
  private void metric(Resource resource, InstrumentationScopeInfo scope, Range r) throws IOException, NotFastPath {
    CodedInputStream in = open(r);
    String name = "";
    String description = "";
    String unit = "";
    Range data = null;
    boolean sum = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> name = in.readStringRequireUtf8();
        case 18 -> description = in.readStringRequireUtf8();
        case 26 -> unit = in.readStringRequireUtf8();
        case 42 -> data = once(data, sub(in, r.start));
        case 58 -> {
          data = once(data, sub(in, r.start));
          sum = true;
        }
        case 74, 82, 90, 98 -> throw NotFastPath.INSTANCE; // other data kinds; metadata
        default -> skip(in, tag);
      }
    }
    if (data == null) {
      // As the converter: a nameless metric without data has no points to reject.
      if (!name.isEmpty()) rejected.reject(1, "metric " + name + " has no data (gauge, sum, histogram, ...)");
      return;
    }
    // Gauge: 1 data_points. Sum: 1 data_points, 2 aggregation_temporality, 3 is_monotonic.
    CodedInputStream d = open(data);
    List<Range> points = new ArrayList<>();
    int temporality = 0;
    boolean monotonic = false;
    for (int tag = d.readTag(); tag != 0; tag = d.readTag()) {
      if (tag == 10) {
        points.add(sub(d, data.start));
      } else if (sum && tag == 16) {
        temporality = d.readEnum();
      } else if (sum && tag == 24) {
        monotonic = d.readBool();
      } else {
        skip(d, tag);
      }
    }
    List<Point> decoded = new ArrayList<>(points.size());
    for (Range p : points) decoded.add(point(p));
    if (name.isEmpty()) {
      rejected.reject(points.size(), "metric without a name");
      return;
    }
    AggregationTemporality t = temporality == 1 ? AggregationTemporality.DELTA : temporality == 2 ? AggregationTemporality.CUMULATIVE : null;
    if (sum && t == null) {
      rejected.reject(points.size(), "sum " + name + " has no aggregation temporality");
      return;
    }
    boolean isLong = !decoded.isEmpty() && decoded.get(0).kind == Point.LONG;
    MetricDataType type;
    io.opentelemetry.sdk.metrics.data.Data<?> result;
    if (isLong) {
      List<LongPointData> ps = new ArrayList<>(decoded.size());
      for (Point p : decoded) {
        if (p.kind != Point.LONG) {
          rejected.reject(1, "metric " + name + " mixes integer and floating-point points");
          continue;
        }
        ps.add(LongPointData.create(p.start, p.time, p.attributes, p.longValue));
      }
      type = sum ? MetricDataType.LONG_SUM : MetricDataType.LONG_GAUGE;
      result = sum ? SumData.createLongSumData(monotonic, t, ps) : GaugeData.createLongGaugeData(ps);
    } else {
      List<DoublePointData> ps = new ArrayList<>(decoded.size());
      for (Point p : decoded) {
        if (p.kind != Point.DOUBLE) {
          String why = p.kind == Point.LONG ? "mixes integer and floating-point points" : "has a point without a value";
          rejected.reject(1, "metric " + name + " " + why);
          continue;
        }
        ps.add(DoublePointData.create(p.start, p.time, p.attributes, p.doubleValue, List.of()));
      }
      type = sum ? MetricDataType.DOUBLE_SUM : MetricDataType.DOUBLE_GAUGE;
      result = sum ? SumData.createDoubleSumData(monotonic, t, ps) : GaugeData.createDoubleGaugeData(ps);
    }
    if (result.getPoints().isEmpty()) {
      return;
    }
    accepted += result.getPoints().size();
    out.add(new ReceivedMetric(resource, scope, name, description, unit, type, result));
  }

  private static final class Point {
    static final int NONE = 0;
    static final int DOUBLE = 1;
    static final int LONG = 2;
    int kind = NONE;
    long start;
    long time;
    double doubleValue;
    long longValue;
    Attributes attributes = Attributes.empty();
  }

  // NumberDataPoint: 7 attributes, 2 start_time_unix_nano, 3 time_unix_nano, 4 as_double,
  // 6 as_int, 5 exemplars, 8 flags.
  private Point point(Range r) throws IOException, NotFastPath {
    CodedInputStream in = open(r);
    Point p = new Point();
    boolean hasAttributes = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 17 -> p.start = in.readFixed64();
        case 25 -> p.time = in.readFixed64();
        case 33 -> {
          p.doubleValue = in.readDouble();
          p.kind = Point.DOUBLE;
        }
        case 49 -> {
          p.longValue = in.readSFixed64();
          p.kind = Point.LONG;
        }
        case 42 -> throw NotFastPath.INSTANCE; // exemplars
        case 58 -> {
          hasAttributes = true;
          sub(in, r.start);
        }
        default -> skip(in, tag);
      }
    }
    if (hasAttributes) p.attributes = attributesOf(r, 7, -1);
    return p;
  }

  /**
   * The KeyValue entries of field {@code field} of the message in {@code r}, in wire order;
   * {@code fallbackTag} (or -1) is a field this path does not decode.
   */
  private Attributes attributesOf(Range r, int field, int fallbackTag) throws IOException, NotFastPath {
    CodedInputStream in = open(r);
    AttributesBuilder b = Attributes.builder();
    int want = lengthDelimited(field);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == fallbackTag) {
        throw NotFastPath.INSTANCE;
      } else if (tag == want) {
        keyValue(b, sub(in, r.start));
      } else {
        skip(in, tag);
      }
    }
    return b.build();
  }

  // KeyValue: 1 key, 2 value (AnyValue: 1 string, 2 bool, 3 int, 4 double; others not here).
  private void keyValue(AttributesBuilder b, Range r) throws IOException, NotFastPath {
    CodedInputStream in = open(r);
    String key = "";
    Range value = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> key = in.readStringRequireUtf8();
        case 18 -> value = once(value, sub(in, r.start));
        default -> skip(in, tag);
      }
    }
    if (value == null) {
      return; // an unset value carries nothing a label could show (as OtlpAttributes)
    }
    CodedInputStream v = open(value);
    int kind = 0;
    String s = null;
    boolean bool = false;
    long l = 0;
    double d = 0;
    for (int tag = v.readTag(); tag != 0; tag = v.readTag()) {
      switch (tag) {
        case 10 -> {
          s = v.readStringRequireUtf8();
          kind = 1;
        }
        case 16 -> {
          bool = v.readBool();
          kind = 2;
        }
        case 24 -> {
          l = v.readInt64();
          kind = 3;
        }
        case 33 -> {
          d = v.readDouble();
          kind = 4;
        }
        default -> {
          if (WireFormat.getTagFieldNumber(tag) <= 8) throw NotFastPath.INSTANCE; // array, map, bytes, index
          skip(v, tag);
        }
      }
    }
    switch (kind) {
      case 1 -> b.put(key, s);
      case 2 -> b.put(key, bool);
      case 3 -> b.put(key, l);
      case 4 -> b.put(key, d);
      default -> {}
    }
  }

  /** Skips an unknown field; a stray end-group tag ends a message badly, as in the generated parser. */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("message ended with an unmatched end-group tag");
    }
  }

  /** A singular message field seen twice is merged by protobuf: leave that to the slow path. */
  private static Range once(Range previous, Range next) throws NotFastPath {
    if (previous != null) throw NotFastPath.INSTANCE;
    return next;
  }
}
