// trapcost: the price of one uprobe hit on this machine, for the cost accounting in run.sh.
// Calls main.probed CALLS times (argument, default 2000000) and prints {"ns_per_call":N}; run
// once bare and once with a uprobe on main.probed, the difference is what a hit costs.
package main

import (
	"encoding/json"
	"os"
	"strconv"
	"time"
)

var sink int

//go:noinline
func probed(i int) int { return i ^ 0x5a }

func main() {
	calls := 2000000
	if len(os.Args) > 1 {
		if n, err := strconv.Atoi(os.Args[1]); err == nil {
			calls = n
		}
	}
	start := time.Now()
	for i := 0; i < calls; i++ {
		sink += probed(i)
	}
	ns := float64(time.Since(start).Nanoseconds()) / float64(calls)
	out, _ := json.Marshal(map[string]float64{"ns_per_call": ns})
	os.Stdout.Write(append(out, '\n'))
}
