package readme

import (
	"strings"
	"unicode"
)

// refState is what docutils' document records about names while parsing,
// checked by the transforms in resolve.
type refState struct {
	targets  map[string]*target // normalized name -> target; nil: ambiguous duplicate
	indirect []*target          // in document order

	refs       []refUse // named references in document order
	substs     map[string]*substDef
	substLower map[string]string // lowercased name -> name
	substRefs  []refUse
	inSubst    *substDef // the definition being parsed, if any

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
	embedded bool
	line     int
	resolved bool
	visiting bool
}

type refUse struct {
	name  string
	line  int
	inDef *substDef // the substitution definition holding the reference
}

type substDef struct {
	line int
	refs []string // substitution references inside the definition
}

func (r *refState) init() {
	r.targets = map[string]*target{}
	r.substs = map[string]*substDef{}
	r.substLower = map[string]string{}
	r.labelledFootnotes = map[string]bool{}
}

// addTarget is docutils' set_name_id_map for one name. Explicit
// duplicates are reported at once, as docutils does while parsing.
func (p *parser) addTarget(t *target) {
	r := &p.refs
	old, seen := r.targets[t.name]
	switch {
	case !seen:
		r.targets[t.name] = t
	case !t.explicit:
		// A second implicit name (INFO): neither can be referenced.
		if old != nil && !old.explicit {
			r.targets[t.name] = nil
		}
	case old == nil || !old.explicit:
		r.targets[t.name] = t
	case t.refuri != "" && old.refuri == t.refuri:
		// INFO only: the same URI twice.
	case t.embedded && old.embedded:
		// docutils 0.23 no longer reports duplicate embedded URIs.
	default:
		p.report(Warning, t.line, `Duplicate explicit target name: "`+t.name+`".`)
	}
}

// implicitTarget records a section title's name; it reports whether the
// name was taken, in which case docutils adds an INFO message (a node
// that counts for the transition checks) to the section.
func (p *parser) implicitTarget(name string, line int) bool {
	if name == "" {
		return false
	}
	_, seen := p.refs.targets[name]
	p.addTarget(&target{name: name, line: line})
	return seen
}

// explicitTarget records ".. _name: uri", an inline target, a footnote or
// a citation; embedded marks a `text <uri>`_ target.
func (p *parser) explicitTarget(name, refuri string, line int, embedded bool) {
	p.addTarget(&target{name: name, refuri: refuri, explicit: true, embedded: embedded, line: line})
}

// indirectTarget records ".. _name: refname_" (name "" for anonymous).
func (p *parser) indirectTarget(name, refname string, line int) {
	t := &target{name: name, refname: refname, explicit: true, line: line}
	p.refs.indirect = append(p.refs.indirect, t)
	if name == "" {
		p.refs.anonymousTargets++
		return
	}
	p.addTarget(t)
}

// reference records a named reference that must resolve.
func (p *parser) reference(name string, line int) {
	if line > 0 {
		line += p.nodeLineDelta
	}
	p.refs.refs = append(p.refs.refs, refUse{name: name, line: line})
}

// noteSubstitution records a substitution definition.
func (p *parser) noteSubstitution(name string, def *substDef) {
	if p.refs.substs[name] != nil {
		p.report(Err, def.line, `Duplicate substitution definition name: "`+name+`".`)
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
			p.report(Err, ref.line, `Undefined substitution referenced: "`+ref.name+`".`)
		}
		if ref.inDef != nil && r.substs[key] == ref.inDef {
			p.report(Err, ref.inDef.line, "Circular substitution definition detected:")
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
				p.report(Err, ref.line, `Circular substitution definition referenced: "`+n+`".`)
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
	p.substitutions()
	p.docinfo()
	if r.anonymousRefs != r.anonymousTargets {
		p.report(Err, 0, "Anonymous hyperlink mismatch: "+itoa(r.anonymousRefs)+" references but "+
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
					p.explicitTarget(label, "", line, false)
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
			p.report(Err, ref.line, "Too many autonumbered footnote references: only "+
				itoa(unlabelled)+" corresponding footnotes available.")
		}
		used++
	}
	if len(r.symbolRefs) > r.symbolFootnotes {
		p.report(Err, r.symbolRefs[r.symbolFootnotes].line, "Too many symbol footnote references: only "+
			itoa(r.symbolFootnotes)+" corresponding footnotes available.")
	}
}

// dangling is docutils' DanglingReferences transform, which runs after
// the transitions check.
func (p *parser) dangling() {
	r := &p.refs
	for _, u := range r.refs {
		t, seen := r.targets[u.name]
		switch {
		case !seen:
			p.report(Err, u.line, `Unknown target name: "`+u.name+`".`)
		case t == nil:
			p.report(Err, u.line, `Duplicate target name, cannot be used as a unique reference: "`+u.name+`".`)
		}
	}
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
	case t.embedded: // named, but given no id
		naming = `"` + t.name + `" `
	case t.name != "":
		id := makeID(t.name)
		if id == "" {
			id = "id1" // docutils numbers ids it cannot derive from the name
		}
		naming = `"` + t.name + `" (id="user-content-` + id + `")`
	}
	p.report(Err, t.line, "Indirect hyperlink target "+naming+` refers to target "`+t.refname+`", `+why+".")
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
