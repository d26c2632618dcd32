import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load for the OTLP/HTTP receiver, from a process of its own: keep-alive connections POST one
 * pre-encoded ExportMetricsServiceRequest of 1,000 data points (10 metrics of 100 series, 3
 * attributes each) over and over, closed loop, or open loop at a fixed request rate (overload).
 * Prints one JSON line: points accepted per second, latency percentiles, 429s and errors.
 *
 *   java -cp gopherlens.jar bench/receiver/OtlpLoad.java HOST:PORT SECONDS CONNECTIONS [REQUESTS_PER_SEC]
 */
public final class OtlpLoad {
  static final int POINTS = 1_000;

  public static void main(String[] args) throws Exception {
    String[] hostPort = args[0].split(":");
    String host = hostPort[0];
    int port = Integer.parseInt(hostPort[1]);
    double seconds = Double.parseDouble(args[1]);
    int connections = Integer.parseInt(args[2]);
    double rate = args.length > 3 ? Double.parseDouble(args[3]) : 0; // 0: closed loop
    byte[] request = request(host + ":" + port, batch().toByteArray());

    AtomicBoolean run = new AtomicBoolean(true);
    LongAdder ok = new LongAdder(), refused = new LongAdder(), errors = new LongAdder();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      long[] lat = new long[(int) Math.min(50_000_000L, (long) (seconds * 20_000) + 16)];
      latencies.add(lat);
      long interval = rate > 0 ? (long) (1e9 * connections / rate) : 0;
      long offset = rate > 0 ? interval * c / connections : 0;
      Thread t = new Thread(() -> drive(host, port, request, run, interval, start + offset, lat, ok, refused, errors));
      t.start();
      threads.add(t);
    }
    Thread.sleep((long) (seconds * 1000));
    run.set(false);
    for (Thread t : threads) t.join(10_000);
    double elapsed = (System.nanoTime() - start) / 1e9;

    long n = latencies.stream().mapToLong(l -> l[0]).sum();
    long[] all = new long[(int) n];
    int at = 0;
    for (long[] l : latencies) {
      System.arraycopy(l, 1, all, at, (int) l[0]);
      at += (int) l[0];
    }
    Arrays.sort(all);
    System.out.printf(
        "{\"points_per_sec\":%.0f,\"requests_ok\":%d,\"requests_429\":%d,\"errors\":%d,\"offered_per_sec\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"seconds\":%.2f,\"body_bytes\":%d}%n",
        ok.sum() * (double) POINTS / elapsed, ok.sum(), refused.sum(), errors.sum(), (ok.sum() + refused.sum()) * (double) POINTS / elapsed,
        pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, elapsed, batch().getSerializedSize());
  }

  /** One connection; latency of every answered request in lat[1..lat[0]]. */
  static void drive(String host, int port, byte[] request, AtomicBoolean run, long interval, long next,
      long[] lat, LongAdder ok, LongAdder refused, LongAdder errors) {
    while (run.get()) {
      try (Socket s = new Socket(host, port)) {
        s.setTcpNoDelay(true);
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
        while (run.get()) {
          if (interval > 0) {
            long wait = next - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            next = Math.max(next + interval, System.nanoTime() - interval); // no catch-up bursts
          }
          long t0 = System.nanoTime();
          out.write(request);
          out.flush();
          int status = readResponse(in);
          if (lat[0] < lat.length - 1) lat[(int) ++lat[0]] = System.nanoTime() - t0;
          if (status == 200) ok.increment();
          else if (status == 429 || status == 503) refused.increment();
          else errors.increment();
        }
      } catch (IOException | RuntimeException e) {
        errors.increment();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Status of one response; its body is read and dropped. */
  static int readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int status = -1;
    int length = 0;
    while (true) {
      int c = in.read();
      if (c < 0) throw new IOException("connection closed");
      if (c != '\n') {
        if (c != '\r') line.append((char) c);
        continue;
      }
      if (line.length() == 0) break;
      String l = line.toString();
      if (status < 0) status = Integer.parseInt(l.substring(9, 12));
      else if (l.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(l.substring(15).trim());
      line.setLength(0);
    }
    in.skipNBytes(length);
    return status;
  }

  static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
  }

  static byte[] request(String authority, byte[] body) {
    byte[] head = ("POST /v1/metrics HTTP/1.1\r\nhost: " + authority + "\r\ncontent-type: application/x-protobuf\r\ncontent-length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  /** 1,000 points: 5 gauges and 5 cumulative sums of 100 series each, as a host agent sends. */
  static ExportMetricsServiceRequest batch() {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.example.load").setVersion("1.0"));
    long now = 1_764_000_000_000_000_000L;
    for (int m = 0; m < 10; m++) {
      List<NumberDataPoint> points = new ArrayList<>();
      for (int i = 0; i < POINTS / 10; i++) {
        points.add(
            NumberDataPoint.newBuilder()
                .setStartTimeUnixNano(now - 60_000_000_000L)
                .setTimeUnixNano(now)
                .setAsDouble(i * 1.25 + m)
                .addAttributes(attr("http.route", "/api/v1/items/" + i))
                .addAttributes(attr("http.request.method", i % 2 == 0 ? "GET" : "POST"))
                .addAttributes(attr("http.response.status_code", String.valueOf(200 + i % 5)))
                .build());
      }
      Metric.Builder metric = Metric.newBuilder().setName("load.metric." + m).setUnit("1");
      if (m % 2 == 0) metric.setGauge(Gauge.newBuilder().addAllDataPoints(points));
      else metric.setSum(Sum.newBuilder().setAggregationTemporalityValue(2).setIsMonotonic(true).addAllDataPoints(points));
      scope.addMetrics(metric);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "load")).addAttributes(attr("host.name", "bench")))
                .addScopeMetrics(scope))
        .build();
  }
}
