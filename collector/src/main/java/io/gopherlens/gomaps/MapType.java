package io.gopherlens.gomaps;

/**
 * What the map's type says about its storage: the size of one bucket (classic) or one group of
 * 8 slots (Swiss), and whether it holds pointers (the allocator adds a header to some of those).
 *
 * @param address the map type (*maptype / *abi.MapType) in the process, 0 when inferred
 * @param unitSize bytes per bucket (maptype.BucketSize) or per group (GroupSize)
 * @param pointers the bucket or group type has pointers (abi.Type.PtrBytes != 0)
 */
public record MapType(long address, long unitSize, boolean pointers) {}
