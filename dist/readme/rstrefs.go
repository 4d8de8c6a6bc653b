package readme

import (
	"strings"
	"unicode"
)

// refState is what docutils' document records about names while parsing,
// checked by the transforms in resolve.
type refState struct {
	targets  map[string]*target // normalized name -> target; nil: ambiguous duplicate
	explicit map[string]bool    // normalized name -> whether any target so named is explicit
	indirect []*target          // in document order

	refs       []refUse // named references in document order
	substs     map[string]*substDef
	substLower map[string]string // lowercased name -> name
	substRefs  []refUse
	inSubst    *substDef // the definition being parsed, if any

	seq                             int // references noted so far
	anonymousRefs, anonymousTargets int
	autoFootnotes                   []int // per auto-numbered footnote: its line, or 0 if labelled
	symbolFootnotes                 int
	labelledFootnotes               map[string]bool // labels of [#label] footnotes
	autoRefs, symbolRefs            []refUse        // [#]_ and [#label]_; [*]_
}

type target struct {
	name     string
	refuri   string
	refname  string // for an indirect target
	explicit bool
	line     int
	resolved bool
	visiting bool
}

type refUse struct {
	name  string
	line  int
	inDef *substDef // the substitution definition holding the reference
	seq   int       // document order among named and substitution references
	subst bool      // a substitution reference
}

type substDef struct {
	line int
	refs []string // substitution references inside the definition
	// content lists the named and substitution references inside the
	// definition in document order.
	content []refUse
	// illegal names the first content docutils does not support in
	// a substitution definition ("Anonymous references", ...), if any.
	illegal string
}

// Content docutils rejects in a substitution definition.
const (
	illegalAnonymous = "Anonymous references"
	illegalAutoRef   = "References to auto-numbered and auto-symbol footnotes"
	illegalTarget    = "Targets (names and identifiers)"
)

// substIllegal notes content of kind what when a substitution definition
// is being parsed; the first one is reported once it is parsed.
func (p *parser) substIllegal(what string) {
	if d := p.refs.inSubst; d != nil && d.illegal == "" {
		d.illegal = what
	}
}

func (r *refState) init() {
	r.targets = map[string]*target{}
	r.explicit = map[string]bool{}
	r.substs = map[string]*substDef{}
	r.substLower = map[string]string{}
	r.labelledFootnotes = map[string]bool{}
}

// addTarget is docutils' note_names and set_duplicate_name for one
// name. Explicit duplicates are reported at once, as docutils does while
// parsing. It reports whether docutils adds an INFO message (a node that
// counts for the transition checks) where the target is noted.
func (p *parser) addTarget(t *target) (info bool) {
	r := &p.refs
	old, seen := r.targets[t.name]
	oldExplicit := r.explicit[t.name]
	r.explicit[t.name] = oldExplicit || t.explicit
	switch {
	case !seen:
		r.targets[t.name] = t
		return false
	case old != nil && (t.refname != "" && t.refname == old.refname || t.refuri != "" && t.refuri == old.refuri):
		return true // the same external target again: the old one stays
	case t.explicit && oldExplicit:
		p.report(LevelWarning, t.line, `Duplicate explicit target name: "`+t.name+`".`)
	case t.explicit:
		// An explicit target overrides implicit ones.
		r.targets[t.name] = t
		return old != nil
	case old != nil && !oldExplicit:
		// A second implicit name: neither can be referenced.
		r.targets[t.name] = nil
	}
	return true
}

// implicitTarget records a section title's name; it reports whether the
// name was taken, in which case docutils adds an INFO message (a node
// that counts for the transition checks) to the section.
func (p *parser) implicitTarget(name string, line int) bool {
	if name == "" {
		return false
	}
	return p.addTarget(&target{name: name, line: line})
}

// explicitTarget records ".. _name: uri", an inline target, a footnote or
// a citation. It reports whether docutils adds an INFO message, as
// addTarget.
func (p *parser) explicitTarget(name, refuri string, line int) bool {
	return p.addTarget(&target{name: name, refuri: refuri, explicit: true, line: line})
}

// indirectTarget records ".. _name: refname_" (name "" for anonymous).
// It reports whether docutils adds an INFO message, as addTarget.
func (p *parser) indirectTarget(name, refname string, line int) bool {
	t := &target{name: name, refname: refname, explicit: true, line: line}
	p.refs.indirect = append(p.refs.indirect, t)
	if name == "" {
		p.refs.anonymousTargets++
		return false
	}
	return p.addTarget(t)
}

// reference records a named reference that must resolve.
func (p *parser) reference(name string, line int) {
	if line > 0 {
		line += p.nodeLineDelta
	}
	p.refs.noteUse(&p.refs.refs, refUse{name: name, line: line})
}

// noteSubstitution records a substitution definition.
func (p *parser) noteSubstitution(name string, def *substDef) {
	if p.refs.substs[name] != nil {
		p.report(LevelError, def.line, `Duplicate substitution definition name: "`+name+`".`)
	}
	p.refs.substs[name] = def
	p.refs.substLower[strings.ToLower(name)] = name
}

// substKey finds a substitution definition: by exact name, else
// case-insensitively.
func (r *refState) substKey(name string) (string, bool) {
	if r.substs[name] != nil {
		return name, true
	}
	key, ok := r.substLower[strings.ToLower(name)]
	return key, ok
}

// substitutions is docutils' Substitutions transform: every reference
// (those inside definitions included) must be defined, and expanding
// nested references must not loop. docutils finds loops while it expands
// copies in place; this follows its outcome for the usual shapes: a
// definition naming itself is "detected" at the definition, a longer loop
// is "referenced" at the first reference that enters it.
func (p *parser) substitutions() {
	r := &p.refs
	for _, ref := range r.substRefs {
		key, ok := r.substKey(ref.name)
		if !ok {
			p.report(LevelError, ref.line, `Undefined substitution referenced: "`+ref.name+`".`)
		}
		if ref.inDef != nil && r.substs[key] == ref.inDef {
			p.report(LevelError, ref.inDef.line, "Circular substitution definition detected:")
		}
	}
	state := map[string]loopState{}
	for _, ref := range r.substRefs {
		if ref.inDef != nil {
			continue
		}
		key, _ := r.substKey(ref.name)
		if !r.reachesLoop(key, state) {
			continue
		}
		// Name the first nested reference on the way to the loop.
		for _, n := range r.substs[key].refs {
			if next, ok := r.substKey(n); ok && state[next] == loops {
				p.report(LevelError, ref.line, `Circular substitution definition referenced: "`+n+`".`)
			}
		}
	}
}

// loopState is what the search for substitution loops knows of a
// definition.
type loopState uint8

const (
	unvisited loopState = iota
	expanding           // on the search's path
	loopFree
	loops // its expansion reaches a loop
)

// reachesLoop reports whether expanding key reaches a loop: a definition
// that uses itself, directly or not. Whether it does is the same whatever
// the path to key, so state keeps the answers for every definition the
// search finishes, and each definition is expanded once however many
// references use it. The search keeps its own stack: a chain of
// substitutions may be as long as the description.
func (r *refState) reachesLoop(key string, state map[string]loopState) bool {
	type frame struct {
		key   string
		next  int // index of the next nested reference to follow
		loops bool
	}
	if state[key] == unvisited {
		state[key] = expanding
		stack := []frame{{key: key}}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if refs := r.substs[f.key].refs; f.next < len(refs) {
				next, ok := r.substKey(refs[f.next])
				f.next++
				switch {
				case !ok:
				case state[next] == unvisited:
					state[next] = expanding
					stack = append(stack, frame{key: next})
				case state[next] == expanding || state[next] == loops:
					f.loops = true
				}
				continue
			}
			stack = stack[:len(stack)-1]
			state[f.key] = loopFree
			if f.loops {
				state[f.key] = loops
				if len(stack) > 0 {
					stack[len(stack)-1].loops = true
				}
			}
		}
	}
	return state[key] == loops
}

// resolve runs the checks of docutils' reference transforms in their
// priority order.
func (p *parser) resolve() {
	r := &p.refs
	p.classPending()
	p.substitutions()
	p.docinfo()
	if r.anonymousRefs != r.anonymousTargets {
		p.report(LevelError, p.end, "Anonymous hyperlink mismatch: "+itoa(r.anonymousRefs)+" references but "+
			itoa(r.anonymousTargets)+" targets.\nSee \"backrefs\" attribute for IDs.")
	}
	for _, t := range r.indirect {
		p.resolveIndirect(t, 0)
	}
	// Footnotes: each auto-numbered footnote takes the next number that
	// is not already a name; unlabelled ones become targets by that number.
	unlabelled, next := 0, 1
	for _, line := range r.autoFootnotes {
		for {
			label := itoa(next)
			next++
			if _, taken := r.targets[label]; !taken {
				if line > 0 {
					unlabelled++
					p.explicitTarget(label, "", line)
				}
				break
			}
		}
	}
	// Every [#]_, and every [#label]_ without its footnote, takes the
	// next unlabelled footnote's number.
	used := 0
	for _, ref := range r.autoRefs {
		if ref.name != "" && r.labelledFootnotes[ref.name] {
			continue
		}
		if used == unlabelled {
			// docutils says "footnotes" only for more than one.
			plural := ""
			if unlabelled > 1 {
				plural = "s"
			}
			p.report(LevelError, ref.line, "Too many autonumbered footnote references: only "+
				itoa(unlabelled)+" corresponding footnote"+plural+" available.")
		}
		used++
	}
	if len(r.symbolRefs) > r.symbolFootnotes {
		p.report(LevelError, r.symbolRefs[r.symbolFootnotes].line, "Too many symbol footnote references: only "+
			itoa(r.symbolFootnotes)+" corresponding footnotes available.")
	}
}

// endLine is the line docutils gives messages that have none of
// their own once parsing is over: the line after the last, unless the
// document ends in a construct docutils parses with a nested list state
// machine (a list or explicit markup; a hyperlink target only when no
// blank line follows it), which leaves it with none (0).
func (p *parser) endLine() int {
	last := len(p.lines) - 1
	for last >= 0 && isBlank(p.lines[last]) {
		last--
	}
	if last < 0 {
		return len(p.lines) + 1
	}
	trailingBlank := last < len(p.lines)-1
	// The start of the last top-level construct: the first line of the
	// last run of non-blank lines that is not indented.
	for {
		for last > 0 && !isBlank(p.lines[last-1]) {
			last--
		}
		if p.lines[last][0] != ' ' {
			break
		}
		for last > 0 && isBlank(p.lines[last-1]) {
			last--
		}
		if last == 0 {
			return len(p.lines) + 1 // indented text only: a block quote
		}
		last--
	}
	line := p.lines[last]
	_, enum := matchEnum(line)
	switch {
	case isAnonTarget(line) || isExplicit(line) && strings.HasPrefix(strings.TrimLeft(line[2:], " "), "_"):
		if trailingBlank {
			return len(p.lines) + 1
		}
		return 0
	case isExplicit(line), isBullet(line), enum, fieldMarkerEnd(line) > 0,
		isOptionStart(line) && reOption.MatchString(line),
		last+1 < len(p.lines) && p.lines[last+1] != "" && p.lines[last+1][0] == ' ': // a definition list
		return 0
	}
	return len(p.lines) + 1
}

// noteUse appends a reference to list, numbered in document order and
// noted in the substitution definition being parsed, if any.
func (r *refState) noteUse(list *[]refUse, u refUse) {
	r.seq++
	u.seq, u.inDef = r.seq, r.inSubst
	*list = append(*list, u)
	if r.inSubst != nil {
		r.inSubst.content = append(r.inSubst.content, u)
	}
}

// dangling is docutils' DanglingReferences transform, which runs after
// the transitions check. It visits references in document order once
// substitutions are expanded: a substitution's references appear both in
// its definition and, with the line of the referencing paragraph or
// title, wherever it is used.
func (p *parser) dangling() {
	r := &p.refs
	memo := map[*substDef]string{}
	for i, j := 0, 0; i < len(r.refs) || j < len(r.substRefs); {
		var u refUse
		var msg string
		if j == len(r.substRefs) || i < len(r.refs) && r.refs[i].seq < r.substRefs[j].seq {
			u, i = r.refs[i], i+1
			msg = p.danglingMessage(u.name)
		} else {
			u, j = r.substRefs[j], j+1
			msg = p.expandedDangling(u.name, memo)
		}
		if msg != "" {
			p.report(LevelError, u.line, msg)
		}
	}
}

// danglingMessage is the error for a named reference that does not
// resolve, or "".
func (p *parser) danglingMessage(name string) string {
	t, seen := p.refs.targets[name]
	switch {
	case !seen:
		return `Unknown target name: "` + name + `".`
	case t == nil:
		return `Duplicate target name, cannot be used as a unique reference: "` + name + `".`
	}
	return ""
}

// expandedDangling is danglingMessage for the first reference that does
// not resolve in substitution name's content, nested substitutions
// expanded; memo keeps each definition's answer, so that the work stays
// linear however often definitions nest.
func (p *parser) expandedDangling(name string, memo map[*substDef]string) string {
	key, _ := p.refs.substKey(name)
	def := p.refs.substs[key]
	if def == nil {
		return ""
	}
	if msg, done := memo[def]; done {
		return msg
	}
	memo[def] = "" // loops were reported by substitutions
	msg := ""
	for _, u := range def.content {
		if u.subst {
			msg = p.expandedDangling(u.name, memo)
		} else {
			msg = p.danglingMessage(u.name)
		}
		if msg != "" {
			break
		}
	}
	memo[def] = msg
	return msg
}

// maxIndirectChain bounds the chain of indirect targets followed at once:
// docutils follows it recursively, one Python frame per target, and fails
// with RecursionError from about 990 (measured as maxFrames is); like
// maxFrames it leaves room for the caller's stack.
const maxIndirectChain = maxFrames

// resolveIndirect follows an indirect target's chain; depth is how many
// targets led to t.
func (p *parser) resolveIndirect(t *target, depth int) {
	if t.resolved {
		return
	}
	if depth >= maxIndirectChain {
		panic(halt{&Error{Line: t.line, Message: tooDeep}})
	}
	ref, seen := p.refs.targets[t.refname]
	switch {
	case !seen:
		p.indirectError(t, "which does not exist")
	case ref == nil:
		p.indirectError(t, "which is a duplicate, and cannot be used as a unique reference")
	case ref.refname != "" && !ref.resolved:
		if t.visiting {
			p.indirectError(t, "forming a circular reference")
		}
		t.visiting = true
		p.resolveIndirect(ref, depth+1)
		t.visiting = false
	}
	t.resolved = true
}

func (p *parser) indirectError(t *target, why string) {
	naming := ""
	switch {
	case t.name != "":
		// With an id_prefix, docutils lets ids start with digits
		// (make_id of "x" + name, less the "x"), and numbers those it
		// cannot derive from the name by the node's type.
		id := makeID("x" + t.name)[1:]
		if id == "" {
			id = "target-1"
		}
		naming = `"` + t.name + `" (id="user-content-` + id + `")`
	}
	p.report(LevelError, t.line, "Indirect hyperlink target "+naming+` refers to target "`+t.refname+`", `+why+".")
}

// makeID is docutils' make_id for ASCII names: lowercase, runs of other
// characters become "-", and it starts with a letter ("" if none).
func makeID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return strings.TrimLeft(b.String(), "0123456789-")
}
