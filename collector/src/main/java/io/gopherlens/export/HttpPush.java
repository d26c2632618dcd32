package io.gopherlens.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP POST of an encoded body to a push endpoint (remote write, Loki), classified the way
 * both protocols ask: 2xx is done, 429, 5xx and connection errors are worth retrying, any other
 * status is a rejection that a retry would only repeat.
 */
public final class HttpPush {
  public enum Outcome {
    SENT,
    RETRY,
    REJECTED
  }

  /** Status 0 for a connection error; {@code detail} is the first line of the body or the error. */
  public record Result(Outcome outcome, int status, String detail) {}

  private static final int MAX_DETAIL = 256;

  private final URI endpoint;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final HttpClient client;

  public HttpPush(URI endpoint, Map<String, String> headers, Duration timeout) {
    this.endpoint = endpoint;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Posts {@code body[0, length)}; never throws for what the peer or network does. */
  public Result post(byte[] body, int length, Map<String, String> protocolHeaders)
      throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    protocolHeaders.forEach(request::header);
    headers.forEach(request::setHeader);
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Result(Outcome.RETRY, 0, describe(e));
    }
    int status = response.statusCode();
    Outcome outcome =
        status / 100 == 2
            ? Outcome.SENT
            : status == 429 || status / 100 == 5 ? Outcome.RETRY : Outcome.REJECTED;
    return new Result(outcome, status, firstLine(response.body()));
  }

  /** The JDK's ConnectException has no message; name the class and the innermost message found. */
  static String describe(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    String kind = e.getClass().getSimpleName();
    return message == null ? kind + " (connection refused or unreachable)" : kind + ": " + message;
  }

  private static String firstLine(String body) {
    if (body == null) {
      return "";
    }
    int end = body.indexOf('\n');
    String line = (end < 0 ? body : body.substring(0, end)).strip();
    return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
  }
}
