package apirules

import (
	"cmp"
	"unicode"
	"unicode/utf8"
)

// CompareNames orders names as the API's name sort does, ignoring case:
// as their lower-case forms compare, without making them.
func CompareNames(a, b string) int {
	for a != "" && b != "" {
		ra, na := rune(a[0]), 1
		if ra >= utf8.RuneSelf {
			ra, na = utf8.DecodeRuneInString(a)
		} else if 'A' <= ra && ra <= 'Z' {
			ra += 'a' - 'A'
		}
		rb, nb := rune(b[0]), 1
		if rb >= utf8.RuneSelf {
			rb, nb = utf8.DecodeRuneInString(b)
		} else if 'A' <= rb && rb <= 'Z' {
			rb += 'a' - 'A'
		}
		if ra >= utf8.RuneSelf || rb >= utf8.RuneSelf {
			ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		}
		if ra != rb {
			return cmp.Compare(ra, rb)
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// HasNamePrefix says whether name matches name_prefix, which is lower
// case already: the API's prefix filter ignores case.
func HasNamePrefix(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		rs, ns := utf8.DecodeRuneInString(s)
		rp, np := utf8.DecodeRuneInString(prefix)
		if unicode.ToLower(rs) != rp {
			return false
		}
		s, prefix = s[ns:], prefix[np:]
	}
	return true
}
