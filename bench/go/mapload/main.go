// mapload: a map-heavy workload for overhead benchmarks. For DURATION (argument, default 5s) it
// creates small maps and grows each through several resizes (8 to 64 entries), and churns four
// large maps that grow to 2^18 entries, are emptied by deletes (keeping their memory, as Go maps
// do) and are replaced. Prints {"ops_per_sec":N,"maps_per_sec":N,"num_gc":N}; an op is one insert
// or delete.
package main

import (
	"encoding/json"
	"os"
	"runtime"
	"time"
)

const largeEntries = 1 << 18

var sink map[int]int

func main() {
	d := 5 * time.Second
	if len(os.Args) > 1 {
		if parsed, err := time.ParseDuration(os.Args[1]); err == nil {
			d = parsed
		}
	}
	var large [4]map[int64]int64
	for i := range large {
		large[i] = map[int64]int64{}
	}
	deadline := time.Now().Add(d)
	ops, maps := 0, 0
	next := int64(0)
	for time.Now().Before(deadline) {
		for i := 0; i < 100; i++ {
			small := map[int]int{} // no size hint: every insert past a bucket or group grows it
			n := 8 + (maps % 57)
			for k := 0; k < n; k++ {
				small[k*7] = k
			}
			sink = small
			ops += n
			maps++
		}
		m := large[maps/100%4]
		for k := 0; k < 2000; k++ {
			m[next] = next
			next++
			ops++
		}
		if len(m) >= largeEntries {
			for key := range m {
				delete(m, key)
				ops++
			}
			large[maps/100%4] = map[int64]int64{} // the emptied map keeps its tables until it is dropped
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out, _ := json.Marshal(map[string]interface{}{
		"ops_per_sec": float64(ops) / d.Seconds(), "maps_per_sec": float64(maps) / d.Seconds(), "num_gc": ms.NumGC})
	os.Stdout.Write(append(out, '\n'))
}
