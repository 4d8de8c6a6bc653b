package readme

import (
	"math/rand/v2"
	"strings"
)

// mutations derives n variants of each document by small line edits (a
// deterministic differential-fuzzing corpus): deleting, indenting,
// dedenting or duplicating a line, or inserting a markup character.
func mutations(docs []doc, n int, seed uint64) []doc {
	r := rand.New(rand.NewPCG(seed, seed))
	marks := []string{"*", "**", "`", "``", "_", "|", "::", "[1]_", "`x`_", ":x:", "\n", "\n\n", "- ", "1. ", ".. "}
	var out []doc
	for _, d := range docs {
		if d.contentType != "" && d.contentType != "text/x-rst" {
			continue
		}
		lines := strings.Split(d.text, "\n")
		if len(lines) > 400 {
			continue
		}
		for k := range n {
			ls := append([]string{}, lines...)
			i := r.IntN(len(ls))
			switch r.IntN(5) {
			case 0:
				ls = append(ls[:i], ls[i+1:]...)
			case 1:
				ls[i] = "   " + ls[i]
			case 2:
				ls[i] = strings.TrimLeft(ls[i], " ")
			case 3:
				ls = append(ls[:i+1], ls[i:]...)
			default:
				pos := 0
				if len(ls[i]) > 0 {
					pos = r.IntN(len(ls[i]) + 1)
				}
				ls[i] = ls[i][:pos] + marks[r.IntN(len(marks))] + ls[i][pos:]
			}
			out = append(out, doc{"mutated", d.id + "#" + itoa(k), d.contentType, strings.Join(ls, "\n")})
		}
	}
	return out
}

// peeled drops include and raw directives (which fail at once under
// readme_renderer's settings) so that the rest of each document is checked.
func peeled(docs []doc) []doc {
	var out []doc
	for _, d := range docs {
		lines := strings.Split(d.text, "\n")
		kept := lines[:0:0]
		for _, l := range lines {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, ".. include::") || strings.HasPrefix(t, ".. raw::") {
				continue
			}
			kept = append(kept, l)
		}
		if len(kept) != len(lines) {
			out = append(out, doc{"peeled", d.id, d.contentType, strings.Join(kept, "\n")})
		}
	}
	return out
}
