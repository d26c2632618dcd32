package io.gopherlens.receiver;

import io.netty.buffer.ByteBuf;

/**
 * An admitted OTLP/HTTP request whose body has been read in full. The receiver of this object
 * owns {@code body} and the {@code reservedBytes} of the in-flight budget, and must release both.
 */
record OtlpHttpRequest(Signal signal, OtlpEncoding encoding, boolean gzip, boolean keepAlive, ByteBuf body, long reservedBytes) {}
