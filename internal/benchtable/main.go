// Command benchtable reads `go test -bench` output on stdin, echoes it, and
// prints the paired benchmarks (wrapper/raw, validating/plain, …) side by
// side with the ratio of the first variant to the second. `make bench` pipes
// through it.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

type result struct {
	variant string
	metrics map[string]float64
	units   []string
}

var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func main() {
	groups := map[string][]result{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		text := sc.Text()
		fmt.Println(text)
		m := line.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		name := m[1]
		parent, variant := name, ""
		if i := strings.LastIndexByte(name, '/'); i > 0 {
			parent, variant = name[:i], name[i+1:]
		}
		r := result{variant: variant, metrics: map[string]float64{}}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			r.metrics[fields[i+1]] = v
			r.units = append(r.units, fields[i+1])
		}
		if _, seen := groups[parent]; !seen {
			order = append(order, parent)
		}
		groups[parent] = append(groups[parent], r)
	}

	fmt.Println()
	for _, parent := range order {
		rs := groups[parent]
		if len(rs) != 2 {
			continue
		}
		a, b := rs[0], rs[1]
		fmt.Printf("%s: %s vs %s\n", strings.TrimPrefix(parent, "Benchmark"), a.variant, b.variant)
		fmt.Printf("  %-12s %20s %20s %8s\n", "metric", a.variant, b.variant, "ratio")
		for _, unit := range a.units {
			va, vb := a.metrics[unit], b.metrics[unit]
			ratio := "-"
			if vb != 0 {
				ratio = fmt.Sprintf("%.2fx", va/vb)
			}
			fmt.Printf("  %-12s %20.0f %20.0f %8s\n", unit, va, vb, ratio)
		}
		fmt.Println()
	}
}
