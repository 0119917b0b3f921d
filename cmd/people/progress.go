package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
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
	lastLine time.Time
	stopWait chan struct{} // closed to end a countdown
}

// plainEvery spaces plain progress lines.
const plainEvery = 5 * time.Second

func newProgress(w io.Writer, noun string) *progress {
	p := &progress{w: w, noun: noun, left: -1}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetItsString(noun),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetDescription(noun),
		)
	}
	return p
}

// step records n more done after one more page or line, with the
// allowance the latest answer reported.
func (p *progress) step(n, left int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endWait()
	p.done += n
	p.steps++
	p.left = left
	if p.bar != nil {
		p.bar.Describe(p.status())
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
	if p.left >= 0 {
		s += fmt.Sprintf(", %d calls left this hour", p.left)
	}
	return s
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
		msg := fmt.Sprintf("%s; no call left this hour: waiting %v for the reset at %s",
			p.status(), time.Until(until).Round(time.Second), until.Local().Format("15:04:05"))
		if p.bar != nil {
			p.bar.Describe(msg)
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
