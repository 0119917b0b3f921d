// Package buildinfo says which version of the module a program was built
// from, for the programs' -version flag: the module version when it was
// installed with `go install …@vX.Y.Z`, else the commit a clone was built
// at (and whether it had changes), from what the Go toolchain records.
package buildinfo

import (
	"runtime/debug"
)

// Version is the program's line for -version: "people v0.1.0", or
// "people (devel) 1a2b3c4d5e6f (modified)" when built in a clone.
func Version(program string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return program + " (unknown version)"
	}
	return program + " " + describe(info)
}

func describe(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	v = "(devel)"
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		v += " " + rev[:min(len(rev), 12)]
	}
	if settings["vcs.modified"] == "true" {
		v += " (modified)"
	}
	return v
}
