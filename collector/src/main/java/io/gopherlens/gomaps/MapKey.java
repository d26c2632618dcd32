package io.gopherlens.gomaps;

/** A map's identity while tracked: its header's address in one process. */
record MapKey(int pid, long address) {}
