package io.gopherlens.export.prometheus;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link LeakCapture} for the tests of one class, as a static {@code @RegisterExtension} field:
 * installed before the first test, removed after the last.
 */
public final class LeakCaptureExtension implements BeforeAllCallback, AfterAllCallback {
  private LeakCapture capture;

  @Override
  public void beforeAll(ExtensionContext context) {
    capture = LeakCapture.install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    capture.close();
  }

  /** See {@link LeakCapture#drainAfterGc}. */
  public List<String> drainAfterGc(int rounds) throws InterruptedException {
    return capture.drainAfterGc(rounds);
  }
}
