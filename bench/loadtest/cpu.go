package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// The machine is shared: the load generator, the server and whatever else
// runs (other engineers' builds and tests) compete for the same cores. Each
// phase records how much CPU each of them used, from /proc, so the report
// can tell a slow server from a busy machine.

// clockTicks is Linux's USER_HZ, the unit of /proc CPU times.
const clockTicks = 100

type cpuSnapshot struct {
	at                  time.Time
	busy, iowait, total uint64 // all CPUs, from /proc/stat
	self, server        uint64 // this process and the server process
}

// cpuUse is CPU time over a phase, in cores (1.0 = one core busy all the
// time).
type cpuUse struct {
	Server  float64 `json:"server_cores"`
	LoadGen float64 `json:"loadgen_cores"`
	Other   float64 `json:"other_cores"`
	Idle    float64 `json:"idle_cores"` // iowait included
	IOWait  float64 `json:"iowait_cores"`
}

func takeCPU(serverPid int) cpuSnapshot {
	s := cpuSnapshot{at: time.Now()}
	if data, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(data), "\n")
		f := strings.Fields(line)
		for i := 1; i < len(f); i++ {
			v, _ := strconv.ParseUint(f[i], 10, 64)
			if i >= 9 { // guest time is already counted in user time
				continue
			}
			s.total += v
			switch i {
			case 4: // idle
			case 5:
				s.iowait += v
			default:
				s.busy += v
			}
		}
	}
	s.self = procTicks("self")
	if serverPid > 0 {
		s.server = procTicks(strconv.Itoa(serverPid))
	}
	return s
}

// procTicks is a process's user+system CPU time.
func procTicks(pid string) uint64 {
	data, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(data)[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseUint(f[11], 10, 64)
	stime, _ := strconv.ParseUint(f[12], 10, 64)
	return utime + stime
}

func cpuBetween(a, b cpuSnapshot) cpuUse {
	wall := b.at.Sub(a.at).Seconds()
	if wall <= 0 {
		return cpuUse{}
	}
	cores := func(ticks uint64) float64 { return float64(ticks) / clockTicks / wall }
	u := cpuUse{Server: cores(b.server - a.server), LoadGen: cores(b.self - a.self)}
	busy := cores(b.busy - a.busy)
	u.Other = max(0, busy-u.Server-u.LoadGen)
	u.Idle = max(0, cores(b.total-a.total)-busy)
	u.IOWait = cores(b.iowait - a.iowait)
	return u
}
