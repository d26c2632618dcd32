// mapsizes: builds maps of known sizes in named functions, deletes most entries, and reports
// the runtime's own view of each map, the ground truth for the map reader tests.
// Protocol, one JSON object per line on stdout:
//   -> {"phase":"ready"} and waits for a line on stdin (time to attach probes)
//   <- any line: builds the maps
//   -> {"phase":"built", "maps":[{name, addr, type, len, buckets|capacity, heap_bytes}...]}
//      then waits for a line on stdin while nothing touches the maps
//   <- any line: deletes all but 1/KEEP of each map's entries
//   -> {"phase":"deleted", "maps":[...]} and waits again
//   <- any line: deletes every entry of fillStrings' map (the runtime gives it a new hash seed)
//      and copies fillInts' header over fillPointers' (what a freed header reused by another
//      map looks like from outside)
//   -> {"phase":"emptied", "maps":[...]} and waits again; the next line exits.
// addr is the map header (*hmap / *maps.Map) and type the map type (*maptype / *abi.MapType):
// what the growth probe reports. Capacity comes from reading the runtime's structures through
// unsafe (classic: 1<<B buckets of 8 slots; Swiss: the distinct tables of the directory).
// heap_bytes is how much runtime.MemStats.HeapAlloc grew while the map was built (after GCs
// reclaimed the arrays growth left behind): what the map owns by the runtime's own accounting.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"unsafe"
)

const keep = 20

// Mirrors of the runtime headers, for the fields the ground truth needs. Classic (Go <= 1.23):
// runtime.hmap; Swiss (Go >= 1.24): internal/runtime/maps.Map and .table.
type hmap struct {
	count     int
	flags     uint8
	B         uint8
	noverflow uint16
	hash0     uint32
}

type swissMap struct {
	used        uint64
	seed        uintptr
	dirPtr      unsafe.Pointer
	dirLen      int
	globalDepth uint8
}

type swissTable struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	index      int
	groupsData unsafe.Pointer
	lengthMask uint64
}

type payload struct{ a, b, c uint64 }

var (
	ints    map[uint64]uint64
	strs    map[string]payload
	smalls  map[int32]int32
	pointed map[uint64]*payload
)

func fillInts(n int) map[uint64]uint64 {
	m := make(map[uint64]uint64)
	for i := 0; i < n; i++ {
		m[uint64(i)*2654435761] = uint64(i)
	}
	return m
}

func fillStrings(n int) map[string]payload {
	m := make(map[string]payload)
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("key-%08d", i)] = payload{uint64(i), 0, 0}
	}
	return m
}

func fillSmall(n int) map[int32]int32 {
	m := make(map[int32]int32)
	for i := 0; i < n; i++ {
		m[int32(i)] = int32(i)
	}
	return m
}

func fillPointers(n int) map[uint64]*payload {
	m := make(map[uint64]*payload, n) // sized up front: one allocation, no growth
	for i := 0; i < n; i++ {
		m[uint64(i)] = nil
	}
	return m
}

func header(m any) (addr, typ unsafe.Pointer) {
	words := (*[2]unsafe.Pointer)(unsafe.Pointer(&m)) // interface: type word, data word (the map header)
	return words[1], words[0]
}

func swiss() bool {
	v := strings.TrimPrefix(runtime.Version(), "go1.")
	var minor int
	fmt.Sscanf(v, "%d", &minor)
	return minor >= 24
}

func describe(name string, m any, length int, heapBytes uint64) map[string]any {
	addr, typ := header(m)
	out := map[string]any{"name": name, "addr": uintptr(addr), "type": uintptr(typ), "len": length,
		"heap_bytes": heapBytes}
	if !swiss() {
		h := (*hmap)(addr)
		out["count"] = h.count
		out["buckets"] = uint64(1) << h.B
		out["capacity"] = uint64(8) << h.B
		return out
	}
	sm := (*swissMap)(addr)
	out["count"] = sm.used
	if sm.dirLen == 0 {
		if sm.dirPtr != nil {
			out["capacity"] = 8
		} else {
			out["capacity"] = 0
		}
		out["tables"] = 0
		return out
	}
	var capacity, tables uint64
	var last *swissTable
	for i := 0; i < sm.dirLen; i++ {
		t := *(**swissTable)(unsafe.Pointer(uintptr(sm.dirPtr) + uintptr(i)*unsafe.Sizeof(uintptr(0))))
		if t == last {
			continue
		}
		last = t
		tables++
		capacity += uint64(t.capacity)
	}
	out["capacity"] = capacity
	out["tables"] = tables
	out["dir_len"] = sm.dirLen
	return out
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// grown builds the map `tries` times and keeps the build whose heap growth was smallest: the
// runtime allocates a little on its own now and then, which only ever adds (and matters for
// small maps; large ones are built once, so the growth probe sees no other map there).
func grown[M any](fill func(int) M, n, tries int) (M, uint64) {
	var best M
	var bestBytes uint64
	for i := 0; i < tries; i++ {
		before := heapAlloc()
		m := fill(n)
		if grew := heapAlloc() - before; i == 0 || grew < bestBytes {
			best, bestBytes = m, grew
		}
	}
	return best, bestBytes
}

func main() {
	in := bufio.NewReader(os.Stdin)
	os.Stdout.Write([]byte("{\"phase\":\"ready\"}\n"))
	in.ReadString('\n')
	var intsBytes, strsBytes, smallBytes, pointedBytes uint64
	ints, intsBytes = grown(fillInts, 1_000_000, 1)
	smalls, smallBytes = grown(fillSmall, 5, 5)
	pointed, pointedBytes = grown(fillPointers, 100_000, 1)
	strs, strsBytes = grown(fillStrings, 200_000, 1)
	report := func(phase string) {
		line, _ := json.Marshal(map[string]any{"phase": phase, "pid": os.Getpid(), "maps": []any{
			describe("main.fillInts", ints, len(ints), intsBytes),
			describe("main.fillStrings", strs, len(strs), strsBytes),
			describe("main.fillSmall", smalls, len(smalls), smallBytes),
			describe("main.fillPointers", pointed, len(pointed), pointedBytes),
		}})
		os.Stdout.Write(append(line, '\n'))
	}
	report("built")
	in.ReadString('\n')
	for k := range ints {
		if k%keep != 0 {
			delete(ints, k)
		}
	}
	i := 0
	for k := range strs {
		if i%keep != 0 {
			delete(strs, k)
		}
		i++
	}
	for k := range pointed {
		if k%keep != 0 {
			delete(pointed, k)
		}
	}
	report("deleted")
	in.ReadString('\n')
	for k := range strs {
		delete(strs, k)
	}
	intsHeader, _ := header(ints)
	pointedHeader, _ := header(pointed)
	*(*[48]byte)(pointedHeader) = *(*[48]byte)(intsHeader)
	line, _ := json.Marshal(map[string]any{"phase": "emptied", "maps": []any{
		describe("main.fillStrings", strs, len(strs), strsBytes),
	}})
	os.Stdout.Write(append(line, '\n'))
	in.ReadString('\n')
}
