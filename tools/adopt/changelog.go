package main

import (
	"fmt"
	"os"
	"strings"
)

// addChangelogEntry puts line under heading ("### Added") in the
// "## [Unreleased]" section of the changelog at path, making the
// subsection if need be.
func addChangelogEntry(path, heading, line string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(data), "\n")
	start := indexOf(lines, "## [Unreleased]", 0)
	if start < 0 {
		return fmt.Errorf("%s has no \"## [Unreleased]\" section", path)
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "## ") {
			end = i
			break
		}
	}
	at := -1
	if sub := indexOf(lines[:end], heading, start); sub >= 0 {
		at = sub + 1
	}
	if at < 0 {
		// A new subsection at the end of the section, before the next one.
		insert := []string{heading, line, ""}
		lines = append(lines[:end], append(insert, lines[end:]...)...)
	} else {
		lines = append(lines[:at], append([]string{line}, lines[at:]...)...)
	}
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}

func indexOf(lines []string, want string, from int) int {
	for i := from; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == want {
			return i
		}
	}
	return -1
}
