package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs Netty's leak detector at PARANOID (every buffer tracked) and captures what it reports. It
 * listens on the detector's logger rather than installing a ResourceLeakDetectorFactory because the
 * ByteBuf detector is created once, when the first buffer class loads, possibly by an earlier test
 * in the same JVM.
 */
public final class LeakCapture extends Handler implements AutoCloseable {
  private static final Logger DETECTOR_LOG = Logger.getLogger(ResourceLeakDetector.class.getName());

  private final ResourceLeakDetector.Level previousLevel = ResourceLeakDetector.getLevel();
  private final boolean previousUseParentHandlers = DETECTOR_LOG.getUseParentHandlers();
  private final List<String> leaks = new ArrayList<>();

  private LeakCapture() {}

  public static LeakCapture install() {
    // With SLF4J or Log4j on the class path Netty would log elsewhere and this check would go
    // blind; fail loudly instead.
    assertThat(InternalLoggerFactory.getDefaultFactory())
        .as("Netty must log through java.util.logging for LeakCapture to see leak reports")
        .isInstanceOf(JdkLoggerFactory.class);
    LeakCapture capture = new LeakCapture();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    DETECTOR_LOG.addHandler(capture);
    // Reports reach the test through assertion messages; printing them too would make the
    // deliberate leak of LeakCaptureTest look like a real one in the build log.
    DETECTOR_LOG.setUseParentHandlers(false);
    return capture;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      leaks.add(String.valueOf(record.getMessage()));
    }
  }

  /**
   * Leaks reported since the last call, after giving the collector a chance to find dead buffers:
   * Netty only notices a leak when a later allocation dequeues a GC'd buffer's reference.
   */
  public List<String> drainAfterGc(int rounds) throws InterruptedException {
    for (int i = 0; i < rounds; i++) {
      System.gc();
      Thread.sleep(20);
      for (int j = 0; j < 16; j++) {
        ByteBufAllocator.DEFAULT.buffer(1).release();
        ByteBufAllocator.DEFAULT.heapBuffer(1).release();
      }
    }
    synchronized (this) {
      List<String> drained = new ArrayList<>(leaks);
      leaks.clear();
      return drained;
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    DETECTOR_LOG.removeHandler(this);
    DETECTOR_LOG.setUseParentHandlers(previousUseParentHandlers);
    ResourceLeakDetector.setLevel(previousLevel);
  }
}
