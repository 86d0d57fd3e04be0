-- wrk: print one JSON line with the latency percentiles (ms), requests and errors.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "requests": %d, "duration_s": %.3f, ' ..
    '"errors": %d, "non2xx": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status))
end
