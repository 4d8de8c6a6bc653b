package main

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/attest"
	"github.com/trustpub/pypi/internal/gha"
)

// attested reports a file's new attestation; under GitHub Actions also
// as the action's attestations.py logs it.
func (p *publisher) attested(r *pypi.Result) {
	a := r.Attestations[len(r.Attestations)-1]
	fmt.Fprintf(p.out, "Attested %s: %s (Rekor log index %d)\n", r.File, a.Path, a.LogIndex)
	if p.r.Enabled() {
		p.r.Debug(fmt.Sprintf("saved publish attestation: dist_path=PosixPath('%s') attestation_path=PosixPath('%s')",
			absPath(r.Path), absPath(a.Path)))
	}
}

// rekorURL is the base URL of the Rekor the attestations are logged in.
func (c *config) rekorURL() string {
	var u string
	if c.signer != nil {
		u = c.signer.RekorURL
	}
	return strings.TrimRight(cmp.Or(u, attest.DefaultRekorURL), "/")
}

// logEntryURL is the Rekor API's URL of the entry at index.
func logEntryURL(rekor string, index int64) string {
	return rekor + "/api/v1/log/entries?logIndex=" + strconv.FormatInt(index, 10)
}

// attestationOutputs are the step outputs "attestations" (the absolute
// paths of the files written, one a line) and "log-entries" (their Rekor entries' URLs, in
// the same order).
func attestationOutputs(results []pypi.Result, rekor string) (paths, entries string) {
	var ps, es []string
	for _, r := range results {
		for _, a := range r.Attestations {
			ps = append(ps, gha.Line(absPath(a.Path)))
			es = append(es, gha.Line(logEntryURL(rekor, a.LogIndex)))
		}
	}
	return strings.Join(ps, "\n"), strings.Join(es, "\n")
}

// attestationSummary is the job summary's table of the attestations
// generated, each with its Rekor log index; "" when there are none.
func attestationSummary(results []pypi.Result, rekor string) string {
	var b strings.Builder
	for _, r := range results {
		for _, a := range r.Attestations {
			if b.Len() == 0 {
				b.WriteString("### PEP 740 attestations\n\n| File | Attestation | Rekor log index |\n|---|---|---:|\n")
			}
			fmt.Fprintf(&b, "| %s | %s | [%d](%s) |\n", gha.CodeSpan(r.File), gha.CodeSpan(absPath(a.Path)), a.LogIndex,
				mdURL(logEntryURL(rekor, a.LogIndex)))
		}
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// jsonAttestation is one generated attestation in the --json document.
type jsonAttestation struct {
	PredicateType string `json:"predicate_type"`
	LogIndex      int64  `json:"log_index"`
	Path          string `json:"path"`
}

// jsonAttestations lists r's generated attestations for --json.
func jsonAttestations(r *pypi.Result) []jsonAttestation {
	out := []jsonAttestation{}
	for _, a := range r.Attestations {
		out = append(out, jsonAttestation{a.PredicateType, a.LogIndex, a.Path})
	}
	return out
}
