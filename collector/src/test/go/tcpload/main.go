// tcpload: one TCP client or server for the flow tests, reporting its own view as JSON.
//   tcpload serve ADDR           listens, prints {"port":P}, reads everything each client
//                                sends and answers with a line of its byte count
//   tcpload send ADDR BYTES      connects, times connect(), writes BYTES, reads the answer,
//                                prints {"pid","local_port","connect_us","sent","received",
//                                "total_retrans"} (retransmits from the socket's own TCP_INFO,
//                                the source `ss -ti` reads), then waits for a line on stdin
//                                before closing
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

// totalRetrans reads tcpi_total_retrans, as `ss -ti` shows it in retrans:X/<total>.
func totalRetrans(c *net.TCPConn) uint32 {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0
	}
	var total uint32
	raw.Control(func(fd uintptr) {
		var info syscall.TCPInfo
		size := uint32(unsafe.Sizeof(info))
		_, _, errno := syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info)), uintptr(unsafe.Pointer(&size)), 0)
		if errno == 0 {
			total = info.Total_retrans
		}
	})
	return total
}

func report(v map[string]interface{}) {
	b, _ := json.Marshal(v)
	os.Stdout.Write(append(b, '\n'))
}

func serve(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		panic(err)
	}
	report(map[string]interface{}{"port": ln.Addr().(*net.TCPAddr).Port, "pid": os.Getpid()})
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			n, _ := io.Copy(io.Discard, c) // until the client half-closes
			fmt.Fprintf(c, "%d\n", n)
		}(c)
	}
}

func send(addr string, size int) {
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	connectUs := time.Since(start).Microseconds()
	if err != nil {
		report(map[string]interface{}{"error": err.Error(), "connect_us": connectUs, "pid": os.Getpid()})
		return
	}
	buf := make([]byte, 64<<10)
	sent := 0
	for sent < size {
		n := len(buf)
		if size-sent < n {
			n = size - sent
		}
		w, err := c.Write(buf[:n])
		sent += w
		if err != nil {
			panic(err)
		}
	}
	c.(*net.TCPConn).CloseWrite()
	answer, _ := bufio.NewReader(c).ReadString('\n')
	report(map[string]interface{}{
		"pid": os.Getpid(), "local_port": c.LocalAddr().(*net.TCPAddr).Port,
		"connect_us": connectUs, "sent": sent, "received": len(answer),
		"total_retrans": totalRetrans(c.(*net.TCPConn)),
	})
	bufio.NewReader(os.Stdin).ReadString('\n')
	c.Close()
}

func main() {
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2])
	case "send":
		size, _ := strconv.Atoi(os.Args[3])
		send(os.Args[2], size)
	}
}
