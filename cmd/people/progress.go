package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// progress tells a person watching a job how far it is: people done,
// pages (or lines), calls left this hour, and a countdown while the job
// waits for the hourly allowance to reset. On a terminal it is a
// progress bar that redraws in place; anywhere else (a log file, cron's
// mail) it is plain lines, at most one every few seconds.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	bar      *progressbar.ProgressBar // nil: plain lines
	noun     string                   // "people", "lines"
	done     int
	steps    int // pages or lines
	left     int // calls left this hour; -1 unknown
	reserve  int // calls of the hour kept for others (-reserve)
	cols     int // the terminal's width
	lastLine time.Time
	stopWait chan struct{} // closed to end a countdown
}

// plainEvery spaces plain progress lines.
const plainEvery = 5 * time.Second

// defaultCols is the width assumed of a terminal that does not say.
const defaultCols = 80

func newProgress(w io.Writer, noun string, reserve int) *progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		cols, _, err := term.GetSize(int(f.Fd()))
		if err != nil || cols <= 0 {
			cols = defaultCols
		}
		return newBar(w, noun, reserve, cols)
	}
	return &progress{w: w, noun: noun, left: -1, reserve: reserve, cols: defaultCols}
}

// barChrome is what the bar adds to its description: a spinner, the count
// and the rate, "  ⠋ (12345 people, 1234 people/s) [1m2s]".
const barChrome = 45

// newBar is the progress of a terminal cols wide: one line, redrawn in
// place, whose description is cut to fit (a wrapped line cannot be
// redrawn, and each redraw would scroll).
func newBar(w io.Writer, noun string, reserve, cols int) *progress {
	p := &progress{w: w, noun: noun, left: -1, reserve: reserve, cols: cols}
	p.bar = progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetItsString(noun),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(10),
		progressbar.OptionSetDescription(noun),
	)
	return p
}

// describe sets the bar's description, cut to the terminal's width.
func (p *progress) describe(s string) {
	if room := p.cols - barChrome; utf8.RuneCountInString(s) > room {
		r := []rune(s)
		s = string(r[:max(room-1, 0)]) + "…"
	}
	p.bar.Describe(s)
}

// step records n more done after one more page or line, with the
// allowance the latest answer reported.
func (p *progress) step(n int, rl wrapper.RateLimit) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endWait()
	p.done += n
	p.steps++
	p.left = -1
	if rl.Known() {
		p.left = rl.Remaining
	}
	if p.bar != nil {
		p.describe(p.status())
		p.bar.Add(n)
		return
	}
	if time.Since(p.lastLine) >= plainEvery {
		p.lastLine = time.Now()
		fmt.Fprintf(p.w, "people: %s\n", p.status())
	}
}

func (p *progress) status() string {
	s := fmt.Sprintf("%d %s, %d %s", p.done, p.noun, p.steps, p.stepNoun())
	switch {
	case p.left >= 0 && p.reserve > 0:
		s += fmt.Sprintf(", %d calls left this hour (-reserve keeps %d)", p.left, p.reserve)
	case p.left >= 0:
		s += fmt.Sprintf(", %d calls left this hour", p.left)
	}
	return s
}

// usedUp says why the job waits: no call left, or none but those the
// reserve keeps for the account's other users.
func (p *progress) usedUp() string {
	if p.reserve > 0 && p.left > 0 {
		return fmt.Sprintf("%d %s, %d %s; the %d calls left this hour are kept for others by -reserve %d",
			p.done, p.noun, p.steps, p.stepNoun(), p.left, p.reserve)
	}
	return p.status() + "; no call left this hour"
}

func (p *progress) stepNoun() string {
	if p.noun == "people" {
		return "pages"
	}
	return "calls"
}

// waiting shows a countdown to until, the reset the job waits for, until
// the next step or until it passes.
func (p *progress) waiting(until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endWait()
	stop := make(chan struct{})
	p.stopWait = stop
	say := func() {
		msg := fmt.Sprintf("%s: waiting %v for the reset at %s",
			p.usedUp(), time.Until(until).Round(time.Second), until.Local().Format("15:04:05"))
		if p.bar != nil {
			p.describe(msg)
			p.bar.Add(0)
			return
		}
		fmt.Fprintf(p.w, "people: %s\n", msg)
	}
	say()
	every := time.Second
	if p.bar == nil {
		every = time.Minute
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if !time.Now().Before(until) {
					return
				}
				p.mu.Lock()
				if p.stopWait == stop {
					say()
				}
				p.mu.Unlock()
			}
		}
	}()
}

func (p *progress) endWait() {
	if p.stopWait != nil {
		close(p.stopWait)
		p.stopWait = nil
	}
}

// finish ends the bar and prints the last word, always as a line.
func (p *progress) finish(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endWait()
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.w)
	}
	fmt.Fprintf(p.w, "people: "+format+"\n", args...)
}
