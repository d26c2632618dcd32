package io.gopherlens.receiver;

import java.util.List;

/**
 * What a request turned into: the items that passed validation, how many points (metrics),
 * records (logs) or spans (traces) were accepted and rejected, and the first reason a point was
 * rejected (null when none was), for the response's partial_success.
 */
record Converted<T>(List<T> items, long accepted, long rejected, String firstError) {}
