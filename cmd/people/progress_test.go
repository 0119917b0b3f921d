package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

func TestProgressSaysTheReserveIsKeptNotThatNothingIsLeft(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, "people", 5)
	p.step(100, wrapper.RateLimit{Limit: 500, Remaining: 5, Reset: time.Now().Add(time.Hour)})
	p.waiting(time.Now().Add(time.Hour))
	p.finish("stopped")
	assert.Contains(t, out.String(), "the 5 calls left this hour are kept for others by -reserve 5")
	assert.NotContains(t, out.String(), "no call left")

	t.Run("with none left at all", func(t *testing.T) {
		var out bytes.Buffer
		p := newProgress(&out, "people", 5)
		p.step(100, wrapper.RateLimit{Limit: 500, Remaining: 0, Reset: time.Now().Add(time.Hour)})
		p.waiting(time.Now().Add(time.Hour))
		p.finish("stopped")
		assert.Contains(t, out.String(), "no call left this hour")
	})
}

func TestTheProgressBarFitsItsTerminal(t *testing.T) {
	for _, cols := range []int{80, 60, 120} {
		t.Run(fmt.Sprintf("%d columns", cols), func(t *testing.T) {
			var out bytes.Buffer
			p := newBar(&out, "people", 25, cols)
			rl := wrapper.RateLimit{Limit: 2000, Remaining: 1999, Reset: time.Now().Add(time.Hour)}
			for range 3 {
				p.step(123456, rl)
				time.Sleep(110 * time.Millisecond) // past the bar's redraw throttle
			}
			p.waiting(time.Now().Add(59 * time.Minute))
			p.finish("done")
			for _, line := range strings.FieldsFunc(out.String(), func(r rune) bool { return r == '\r' || r == '\n' }) {
				line = strings.TrimRight(line, " ")
				assert.LessOrEqual(t, utf8.RuneCountInString(line), cols, "%q", line)
			}
			assert.Contains(t, out.String(), "123456", "the bar was drawn")
		})
	}
}
