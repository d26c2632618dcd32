// mapgrowth: grows maps and reports, from the program's own view of its map headers, every
// growth, the ground truth for the map growth probes. Usage: mapgrowth classic|swiss [entries].
// Protocol, one JSON object per line, each phase waiting for a line on stdin first:
//   -> {"phase":"ready"}
//   <- line: churn small maps (8 to 500 entries each, with and without size hints)
//   -> {"phase":"small","maps":N}
//   <- line: grow one map in main.fillCache to `entries` (default 100000), make one with that hint
//   -> {"phase":"big","map":addr,"sized":addr,"growths":[...]} then waits for a line and exits.
// A growth is read after each insert from the map header: classic maps (runtime/map.go hmap)
// report every change of B; Swiss maps (internal/runtime/maps.Map) every table split, seen as
// one more distinct table in the directory, with the entry count the map had when it split.
// With GOPHERLENS_CPUPROFILE=file it only writes a CPU profile of fillCache, for PGO builds.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"runtime/pprof"
	"strconv"
	"unsafe"
)

type growth struct {
	Entries     int `json:"entries"`      // len(m) when the growth started
	Log2        int `json:"log2"`         // classic: new B; swiss: globalDepth after
	Capacity    int `json:"capacity"`     // classic: 1<<B; swiss: dirLen after
	Tables      int `json:"tables"`       // swiss: distinct tables after
}

var sink []map[int]int

// hmapB reads B, the log2 of the bucket count, at offset 9 of runtime.hmap (count int; flags
// uint8; B uint8), the same in Go 1.19 to 1.24 (noswissmap).
func hmapB(m map[int]int) int {
	h := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	return int(*(*uint8)(unsafe.Add(h, 9)))
}

// swissDirectory reads internal/runtime/maps.Map {used uint64; seed uintptr; dirPtr
// unsafe.Pointer; dirLen int; globalDepth uint8; ...} (Go 1.24 to 1.27) and counts distinct
// tables: a table covers consecutive directory entries.
func swissDirectory(m map[int]int) (dirLen, globalDepth, tables int) {
	mp := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	dirLen = *(*int)(unsafe.Add(mp, 24))
	globalDepth = int(*(*uint8)(unsafe.Add(mp, 32)))
	if dirLen == 0 {
		return 0, globalDepth, 0
	}
	dir := *(*unsafe.Pointer)(unsafe.Add(mp, 16))
	var last unsafe.Pointer
	for i := 0; i < dirLen; i++ {
		t := *(*unsafe.Pointer)(unsafe.Add(dir, i*8))
		if t != last {
			tables++
			last = t
		}
	}
	return dirLen, globalDepth, tables
}

//go:noinline
func fillCache(swiss bool, n int) (map[int]int, []growth) {
	m := make(map[int]int)
	var growths []growth
	b, tables := 0, 1
	for i := 0; i < n; i++ {
		m[i] = i
		if swiss {
			dirLen, depth, t := swissDirectory(m)
			if t > tables && dirLen > 0 {
				growths = append(growths, growth{Entries: i, Log2: depth, Capacity: dirLen, Tables: t})
				tables = t
			}
		} else if nb := hmapB(m); nb != b {
			growths = append(growths, growth{Entries: i, Log2: nb, Capacity: 1 << nb})
			b = nb
		}
	}
	return m, growths
}

//go:noinline
func makeSized(n int) map[int]int {
	return make(map[int]int, n)
}

//go:noinline
func churnSmall(count int) {
	for i := 0; i < count; i++ {
		n := 8 + i%493
		var m map[int]int
		if i%2 == 0 {
			m = make(map[int]int)
		} else {
			m = make(map[int]int, n)
		}
		for k := 0; k < n; k++ {
			m[k] = k
		}
		sink = append(sink, m)
		if len(sink) > 64 {
			sink = sink[:0]
		}
	}
}

func address(m map[int]int) uintptr {
	return *(*uintptr)(unsafe.Pointer(&m))
}

func report(v map[string]interface{}) {
	line, _ := json.Marshal(v)
	os.Stdout.Write(append(line, '\n'))
}

// profile writes a CPU profile of map growth: with it, PGO inlines the runtime's hot map paths
// (Go 1.27 inlines (*table).split into rehash).
func profile(path string, swiss bool) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	for r := 0; r < 20; r++ {
		fillCache(swiss, 300000)
	}
	pprof.StopCPUProfile()
	f.Close()
}

func main() {
	swiss := len(os.Args) > 1 && os.Args[1] == "swiss"
	if path := os.Getenv("GOPHERLENS_CPUPROFILE"); path != "" {
		profile(path, swiss)
		return
	}
	entries := 100000
	if len(os.Args) > 2 {
		entries, _ = strconv.Atoi(os.Args[2])
	}
	in := bufio.NewReader(os.Stdin)
	report(map[string]interface{}{"phase": "ready", "pid": os.Getpid()})
	in.ReadString('\n')
	churnSmall(2000)
	report(map[string]interface{}{"phase": "small", "maps": 2000})
	in.ReadString('\n')
	big, growths := fillCache(swiss, entries)
	sized := makeSized(entries)
	report(map[string]interface{}{"phase": "big", "map": address(big), "sized": address(sized), "growths": growths,
		"len": len(big)})
	in.ReadString('\n')
	sink = append(sink, big, sized)
}
