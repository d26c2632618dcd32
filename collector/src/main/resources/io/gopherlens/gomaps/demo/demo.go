// The program `gopherlens demo` builds and watches: a session cache that once held a million
// sessions, expired almost all of them, and keeps serving. Its map keeps the buckets (Go <= 1.23)
// or tables (Go >= 1.24) it grew to: Go maps never shrink after deletes.
//
// It starts filling when a line arrives on stdin (so the growth probes are attached first) and
// reports its phases on stdout.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

type session struct {
	user    uint64
	expires int64
	hits    uint32
}

// Cache is what many services have: a map behind a mutex, filled by Put and pruned by Expire.
type Cache struct {
	mu       sync.Mutex
	sessions map[uint64]session
}

var cache = &Cache{sessions: make(map[uint64]session)}

func (c *Cache) Put(id uint64, s session) {
	c.mu.Lock()
	c.sessions[id] = s
	c.mu.Unlock()
}

// Expire deletes every session that is not a multiple of keepEvery; the map keeps its storage.
func (c *Cache) Expire(keepEvery uint64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id := range c.sessions {
		if id%keepEvery != 0 {
			delete(c.sessions, id)
		}
	}
	return len(c.sessions)
}

func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sessions)
}

func main() {
	const sessions = 1_000_000
	fmt.Printf("demo program pid %d ready\n", os.Getpid())
	bufio.NewReader(os.Stdin).ReadString('\n')
	now := time.Now().Unix()
	for i := uint64(0); i < sessions; i++ {
		cache.Put(i, session{user: i * 7, expires: now + 3600})
	}
	fmt.Printf("filled the session cache with %d sessions\n", cache.Len())
	time.Sleep(3 * time.Second)
	fmt.Printf("expired all but %d sessions; the program keeps serving\n", cache.Expire(100))
	// Keep going: a trickle of new sessions and expiries, as a live service would.
	next := uint64(sessions)
	for {
		time.Sleep(100 * time.Millisecond)
		for i := 0; i < 10; i++ {
			cache.Put(next*100, session{user: next, expires: time.Now().Unix() + 60})
			next++
		}
	}
}
