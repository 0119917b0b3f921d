package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The fake keeps about 100 bytes per generated person (the fields that
// sort and filter, and four indexes); bytesPerPerson leaves room for the
// garbage collector on top. Above maxPeople the indexes' 32-bit numbers
// would not do.
const (
	bytesPerPerson = 200
	maxPeople      = 100_000_000
)

// checkMemory refuses a -people that would not fit, before anything is
// allocated, rather than letting the kernel kill the process later.
func checkMemory(people int) error {
	if people > maxPeople {
		return fmt.Errorf("-people %d is more than the %d the fake can index", people, maxPeople)
	}
	need := uint64(people) * bytesPerPerson
	avail, ok := availableMemory()
	if ok && need > avail {
		return fmt.Errorf("-people %d needs about %d MB, and this machine has %d MB available; ask for at most %d",
			people, need>>20, avail>>20, avail/bytesPerPerson)
	}
	return nil
}

// availableMemory is the smaller of the kernel's MemAvailable and the
// cgroup's limit, when either can be read.
func availableMemory() (uint64, bool) {
	var avail uint64
	found := false
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			if rest, ok := strings.CutPrefix(s.Text(), "MemAvailable:"); ok {
				if kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64); err == nil {
					avail, found = kb<<10, true
				}
			}
		}
	}
	// cgroup v2, then v1: a container's limit, when it sets one ("max",
	// or v1's huge number, means none).
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if limit, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && limit < 1<<60 && (!found || limit < avail) {
			avail, found = limit, true
		}
	}
	return avail, found
}
