package dist

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/trustpub/pypi/internal/pyfmt"
)

// maxEntryPoints caps the sections and entries of an entry_points.txt,
// which are kept to find duplicates. Real files have a few to a few
// hundred entries; continuation and comment lines are not counted (they
// cost nothing).
const maxEntryPoints = 100_000

// entryPointsError says why an entry_points.txt is refused: a Python
// configparser error, a bad script name or, with limit, the cap.
type entryPointsError struct {
	line  int // 1-based; 0 when the whole file is at fault
	msg   string
	limit bool
}

func (e *entryPointsError) Error() string {
	if e.line == 0 {
		return e.msg
	}
	return fmt.Sprintf("line %d: %s", e.line, e.msg)
}

// scanEntryPoints reads an entry_points.txt as Warehouse's
// validate_entrypoints does (warehouse/utils/wheel.py, lines 243-305 at
// commit 6b62157124ab7865029afeeadf282bce27d601d9): the bytes must decode
// as UTF-8; then Python 3.14's configparser.ConfigParser with
// delimiters=("=",) and a case-sensitive optionxform must read it without
// error; then every entry name of the [console_scripts] and [gui_scripts]
// sections that exist, [DEFAULT]'s entries included, must fullmatch
// [\w.-]+. Nothing else is checked (entry values are not).
//
// configparser's rules, as its _read_inner reads a file split at "\n"
// only: a line that is blank or whose stripped text starts with "#" or ";"
// is skipped; a line indented deeper (in code points) than the entry line
// before it continues that entry, even across blank lines; otherwise the
// stripped line is a section header if it starts with "[" and has a "]"
// after at least one character (the name runs to the last "]"), else an
// entry "key = value" split at the first "=", whose stripped key must not
// be empty. An entry before any section header, a section given twice
// ([DEFAULT] aside) and an entry given twice in a section (case
// matters) are errors.
//
// It streams r: only section and entry names are kept, at most
// maxEntryPoints of them.
func scanEntryPoints(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxMemberRead+1)
	sc.Split(splitLF)
	type entry struct{ section, key string }
	var (
		sections  = map[string]bool{}
		entries   = map[entry]bool{}
		section   string
		inSection bool
		key       string // the entry whose continuation lines may follow
		indent    int
		badName   *entryPointsError // the first bad name in [DEFAULT]
		lineNo    int
	)
	for sc.Scan() {
		lineNo++
		line := sc.Bytes()
		if !utf8.Valid(line) {
			return &entryPointsError{msg: "entry_points.txt is not decodable as UTF-8"}
		}
		clean := pyStrip(string(line))
		if clean == "" || clean[0] == '#' || clean[0] == ';' {
			continue
		}
		level := indentOf(line)
		if inSection && key != "" && level > indent {
			continue // a continuation line
		}
		indent = level
		if end := strings.LastIndexByte(clean, ']'); clean[0] == '[' && end >= 2 {
			section, inSection, key = clean[1:end], true, ""
			if section == "DEFAULT" {
				continue
			}
			if sections[section] {
				return &entryPointsError{line: lineNo, msg: fmt.Sprintf("section %s already exists", pyfmt.Repr(section))}
			}
			sections[section] = true
		} else {
			if !inSection {
				return &entryPointsError{line: lineNo, msg: "File contains no section headers."}
			}
			before, _, ok := strings.Cut(clean, "=")
			if key = strings.TrimRightFunc(before, isPySpace); !ok || key == "" {
				return &entryPointsError{line: lineNo, msg: fmt.Sprintf("%s is neither a section header nor a \"key = value\" entry", pyfmt.Repr(clean))}
			}
			e := entry{section, key}
			if entries[e] {
				return &entryPointsError{line: lineNo, msg: fmt.Sprintf("option %s in section %s already exists", pyfmt.Repr(key), pyfmt.Repr(section))}
			}
			entries[e] = true
			if !scriptName(key) {
				bad := &entryPointsError{line: lineNo, msg: fmt.Sprintf("Invalid entry point name %s in %s", pyfmt.Repr(key), pyfmt.Repr(section))}
				switch {
				case section == "console_scripts" || section == "gui_scripts":
					return bad
				case section == "DEFAULT" && badName == nil:
					badName = bad
				}
			}
		}
		if len(sections)+len(entries) > maxEntryPoints {
			return &entryPointsError{msg: fmt.Sprintf("entry_points.txt has more than %d sections and entries, the limit for checking it", maxEntryPoints), limit: true}
		}
	}
	if err := sc.Err(); err != nil {
		return &entryPointsError{msg: err.Error()}
	}
	if badName != nil && (sections["console_scripts"] || sections["gui_scripts"]) {
		return badName // [DEFAULT]'s entries belong to every section
	}
	return nil
}

// splitLF is a bufio.SplitFunc for lines ended by "\n" only, as Python's
// io.StringIO splits them; the "\n" is dropped.
func splitLF(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// indentOf returns how many code points of white space start line.
func indentOf(line []byte) int {
	n := 0
	for _, r := range string(line) {
		if !isPySpace(r) {
			break
		}
		n++
	}
	return n
}
