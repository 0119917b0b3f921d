package testkit

import (
	"testing"

	"github.com/cldpeople/cloudinary-people-go/wrapper/peopletest"
)

// QuietServer is a fake whose contract check records violations without
// failing the test: the cases that break the spec do so on purpose.
func QuietServer(t *testing.T, opts ...peopletest.Option) *peopletest.Server {
	t.Helper()
	s := peopletest.NewServer(nil, append([]peopletest.Option{peopletest.OnViolation(func(*peopletest.ContractError) {})}, opts...)...)
	t.Cleanup(s.Close)
	return s
}
