package testkit

import (
	"os"
	"os/exec"
	"testing"
)

// asProgram, set in a test binary's environment, makes it the program
// under test instead of its tests: a test that must signal the program,
// kill it with SIGKILL or run several at once starts it as a process of
// its own, without building it first.
const asProgram = "CLDPEOPLE_TEST_AS_PROGRAM"

// ProgramOrTests is a command's TestMain: the program itself (main) when
// the binary was started by [Program], else its tests.
func ProgramOrTests(m *testing.M, main func()) {
	if os.Getenv(asProgram) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Program is the running test binary started as the program, with args
// and the environment given added to the test's own.
func Program(t testing.TB, args []string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("the test binary: %v", err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(append(os.Environ(), asProgram+"=1"), env...)
	return cmd
}
