package wrapper

import (
	"context"
	"crypto/sha256"
	"iter"

	"github.com/cldpeople/cloudinary-people-go/internal/apirules"
)

// MaxEmptyPages is how many empty pages in a row, each with a new cursor,
// [Client.Pages] (and so AllPeople) accepts before it stops with
// ErrEmptyPages. A real walk may
// meet an empty page or two (filters applied after paging); a server that
// never stops sending them would keep the loop from ever seeing a person,
// and so from ever breaking.
const MaxEmptyPages = 10

// Pages walks the list page by page, lazily, keeping opts' filters: a page
// is fetched only when the loop asks for it, and none after the loop
// breaks. Each page's NextCursor is the point to resume from once that page
// is handled: a job that saves it can start again there, days later, with
// the same opts and NextCursor set to it. A page is yielded before its
// cursor is checked, so nothing that arrived is lost. On an error Pages yields
// (PeoplePage{}, err) once and stops. A server that repeats a cursor would
// loop forever; Pages stops with [ErrRepeatedCursor], and after
// [MaxEmptyPages] empty pages in a row with [ErrEmptyPages].
//
// With opts.MaxResults 0 it asks for MaxPageSize people a page, the fewest
// calls for a full walk.
//
// The sequence holds no state between ranges: each range starts from opts
// again, and one sequence may be ranged again or from several goroutines.
func (c *Client) Pages(ctx context.Context, opts ListOptions) iter.Seq2[PeoplePage, error] {
	return func(yield func(PeoplePage, error) bool) {
		o := opts // this range's own cursor; opts stays as given
		if o.MaxResults == 0 {
			// The fewest calls for a full walk: half those of the server's
			// default page of 50.
			o.MaxResults = MaxPageSize
		}
		// SHA-256 digests, not cursors: memory stays small however long
		// the walk (32 bytes a page), and no two cursors of a walk share
		// one, so a new cursor is never taken for a repeat.
		seen := map[[sha256.Size]byte]struct{}{}
		if o.NextCursor != "" {
			seen[sha256.Sum256([]byte(o.NextCursor))] = struct{}{}
		}
		empty := 0
		for {
			page, err := c.ListPeople(ctx, o)
			if err != nil {
				yield(PeoplePage{}, err)
				return
			}
			if !yield(*page, nil) || page.NextCursor == "" {
				return
			}
			if len(page.People) == 0 {
				empty++
			} else {
				empty = 0
			}
			if empty >= MaxEmptyPages {
				yield(PeoplePage{}, fail(ErrEmptyPages, nil, "%d empty pages in a row, each with a new cursor; stopped after %d pages", empty, len(seen)+1))
				return
			}
			h := sha256.Sum256([]byte(page.NextCursor))
			if _, dup := seen[h]; dup {
				yield(PeoplePage{}, fail(ErrRepeatedCursor, nil, "%q came back after %d pages", apirules.Cut(page.NextCursor, 80), len(seen)))
				return
			}
			seen[h] = struct{}{}
			o.NextCursor = page.NextCursor
		}
	}
}

// AllPeople walks every person of every page lazily, built on
// [Client.Pages] and with its guards: a page is fetched only when the loop
// needs it, and none after the loop breaks. On an error it yields
// (Person{}, err) once and stops. To resume a walk later, range over Pages
// and keep each page's NextCursor.
//
// The sequence holds no state between ranges: each range starts from opts
// again, and one sequence may be ranged again or from several goroutines.
func (c *Client) AllPeople(ctx context.Context, opts ListOptions) iter.Seq2[Person, error] {
	return func(yield func(Person, error) bool) {
		for page, err := range c.Pages(ctx, opts) {
			if err != nil {
				yield(Person{}, err)
				return
			}
			for _, p := range page.People {
				if !yield(p, nil) {
					return
				}
			}
		}
	}
}
